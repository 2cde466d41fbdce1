import { BODY_ERRORS, errors, jsonBody, linkQuery, pathParam, ref, response } from './openapi-helpers.ts';

const queued = (operationId: string, summary: string) => ({
  operationId,
  summary,
  parameters: [linkQuery],
  responses: { '202': response('Queued', ref('Queued')), ...errors('400', '404', '503') },
});

/** The original spec's routes, kept as aliases (scoped by `?link=<id>`, or the caller's only link). */
export function aliasPaths(): Record<string, object> {
  return {
    '/api/v1/services/github': {
      get: {
        operationId: 'listSyncedServices',
        summary: 'Services of the last synced snapshot (alias)',
        parameters: [linkQuery],
        responses: {
          '200': response('Services', {
            type: 'object',
            properties: { linkId: { type: 'string' }, services: { type: 'array', items: ref('Service') } },
          }),
          ...errors('400', '404'),
        },
      },
    },
    '/api/v1/services/github/{id}': {
      parameters: [pathParam('id')],
      get: {
        operationId: 'getSyncedService',
        summary: 'One service of the last synced snapshot (alias)',
        parameters: [linkQuery],
        responses: { '200': response('The service', ref('Service')), ...errors('400', '404') },
      },
    },
    '/api/v1/services/github/sync': {
      post: queued('syncFromDefinitions', 'Queue a definitions → design sync (alias)'),
    },
    '/api/v1/visualizations/aistudio': {
      get: {
        operationId: 'getDesignState',
        summary: 'The design side of the link (alias)',
        parameters: [linkQuery],
        responses: {
          '200': response('Design file, revision and link status', {
            type: 'object',
            properties: {
              linkId: { type: 'string' },
              design: { type: 'string' },
              revision: { type: ['string', 'null'] },
              status: { type: 'string' },
            },
          }),
          ...errors('400', '404'),
        },
      },
    },
    '/api/v1/visualizations/aistudio/update': {
      post: queued('updateDesign', 'Queue a definitions → design sync (alias)'),
    },
    '/api/v1/visualizations/aistudio/export': {
      get: {
        operationId: 'exportDesign',
        summary: 'The design export of the last synced snapshot (alias)',
        parameters: [linkQuery],
        responses: { '200': response('The export', ref('DesignExport')), ...errors('400', '404') },
      },
    },
    '/api/v1/sync/bidirectional': { post: queued('syncBothWays', 'Queue a sync in both directions (alias)') },
    '/api/v1/sync/status': {
      get: {
        operationId: 'getSyncStatus',
        summary: 'Status, positions, last sync and drift of the link (alias)',
        parameters: [linkQuery],
        responses: { '200': response('Sync status', ref('SyncStatus')), ...errors('400', '404') },
      },
    },
    '/api/v1/sync/history': {
      get: {
        operationId: 'getSyncHistory',
        summary: 'The latest 50 operations of the link (alias)',
        parameters: [linkQuery],
        responses: {
          '200': response('Operations, newest first', {
            type: 'object',
            properties: { linkId: { type: 'string' }, items: { type: 'array', items: ref('Operation') } },
          }),
          ...errors('400', '404'),
        },
      },
    },
    '/api/v1/sync/resolve-conflicts': {
      post: {
        operationId: 'resolveConflicts',
        summary: 'Settle one (conflictId) or every open conflict and queue a sync (alias)',
        parameters: [linkQuery],
        requestBody: jsonBody(ref('ResolveAllBody')),
        responses: {
          '200': response('Settled conflicts and the queued sync', {
            type: 'object',
            properties: {
              settled: { type: 'array', items: ref('Conflict') },
              operationId: { type: ['string', 'null'] },
            },
          }),
          ...errors(...BODY_ERRORS, '404', '409', '503'),
        },
      },
    },
  };
}

/** API keys (admin token only). */
export function keyPaths(): Record<string, object> {
  return {
    '/api/v1/keys': {
      get: {
        operationId: 'listKeys',
        summary: 'API keys, without their secrets (admin)',
        parameters: [{ name: 'tenant', in: 'query', schema: { type: 'string' } }],
        responses: {
          '200': response('Keys', {
            type: 'object',
            properties: { items: { type: 'array', items: ref('ApiKey') } },
          }),
          ...errors('403'),
        },
      },
      post: {
        operationId: 'createKey',
        summary: 'Create an API key for a tenant; the key is shown once (admin)',
        requestBody: jsonBody(ref('CreateKeyBody')),
        responses: {
          '201': response('The key, with its secret', {
            allOf: [
              ref('ApiKey'),
              { type: 'object', required: ['key'], properties: { key: { type: 'string' } } },
            ],
          }),
          ...errors(...BODY_ERRORS, '403'),
        },
      },
    },
    '/api/v1/keys/{id}': {
      parameters: [pathParam('id')],
      delete: {
        operationId: 'revokeKey',
        summary: 'Revoke an API key (admin)',
        responses: { '204': response('Revoked'), ...errors('403', '404') },
      },
    },
  };
}
