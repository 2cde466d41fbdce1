import { CONFLICT_KINDS } from '../domain/index.ts';
import { DELIVERY_OUTCOMES } from '../ingress/delivery-record.ts';
import {
  BODY_ERRORS,
  errors,
  jsonBody,
  pageOf,
  pageParams,
  pathParam,
  ref,
  response,
} from './openapi-helpers.ts';
import { BULK_RESOLVE_LIMIT } from './routes/bulk-resolve.ts';
import { STATS_BUCKET_MINUTES, STATS_MAX_RUNS } from './routes/stats.ts';

const noAuth: object[] = [];

/** Health, links, history, conflicts, drift, deliveries and dead letters. */
export function corePaths(): Record<string, object> {
  return {
    '/healthz': {
      get: {
        operationId: 'liveness',
        summary: 'Liveness (no auth)',
        security: noAuth,
        responses: { '200': response('Alive', { type: 'object', properties: { status: { const: 'ok' } } }) },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document (no auth)',
        security: noAuth,
        responses: { '200': response('OpenAPI 3.1 document', { type: 'object' }) },
      },
    },
    '/api/v1/health': {
      get: {
        operationId: 'health',
        summary: 'State store, bus and Drive channels',
        responses: {
          '200': response('Healthy', ref('Health')),
          '503': response('Degraded: see which part failed', ref('Health')),
          ...errors(),
        },
      },
    },
    '/api/v1/links': {
      get: {
        operationId: 'listLinks',
        summary: 'The caller’s links, oldest first',
        parameters: pageParams,
        responses: { '200': response('A page of links', pageOf(ref('Link'))), ...errors('400') },
      },
      post: {
        operationId: 'createLink',
        summary: 'Create a link and queue its first sync',
        description:
          'The repository webhook (GitHub with a token) and the Drive channel are set up with the link; ' +
          'the answer’s `webhook` and `driveChannel` say how that went (a failure never stops the creation).',
        requestBody: jsonBody(ref('CreateLinkBody')),
        responses: {
          '201': response(
            'Created',
            {
              allOf: [
                ref('Link'),
                { type: 'object', properties: { initialOperationId: { type: 'string' } } },
              ],
            },
            { Location: { description: 'The new link', schema: { type: 'string' } } },
          ),
          ...errors(...BODY_ERRORS, '503'),
        },
      },
    },
    '/api/v1/links/{id}': {
      parameters: [pathParam('id')],
      get: {
        operationId: 'getLink',
        summary: 'One link: status, positions, last sync, drift summary',
        responses: { '200': response('The link', ref('Link')), ...errors('404') },
      },
      patch: {
        operationId: 'updateLink',
        summary: 'Change the policy (the fields given), the branch or the mode; recorded in the history',
        description:
          'The policy is validated as a whole after the change, as on creation. A branch change forgets ' +
          'the old branch’s position and proposal; the next sync starts on the new branch. Nothing is ' +
          'synced by this request (queue a sync to apply the change now).',
        requestBody: jsonBody(ref('UpdateLinkBody')),
        responses: {
          '200': response('The link as it is now, and what changed', ref('LinkUpdate')),
          ...errors(...BODY_ERRORS, '404', '503'),
        },
      },
      delete: {
        operationId: 'deleteLink',
        summary:
          'Delete a link, stop its Drive channels, and remove the repository webhook when no link uses the repository',
        responses: { '204': response('Deleted'), ...errors('404') },
      },
    },
    '/api/v1/links/{id}/sync': {
      parameters: [pathParam('id')],
      post: {
        operationId: 'syncLink',
        summary: 'Queue a sync',
        requestBody: jsonBody(ref('SyncBody'), false),
        responses: {
          '202': response('Queued', ref('Queued'), {
            Location: { description: 'The operation', schema: { type: 'string' } },
          }),
          ...errors(...BODY_ERRORS, '404', '503'),
        },
      },
    },
    '/api/v1/links/{id}/operations': {
      parameters: [pathParam('id'), ...pageParams],
      get: {
        operationId: 'listOperations',
        summary: 'Sync history, newest first',
        responses: {
          '200': response('A page of operations', pageOf(ref('Operation'))),
          ...errors('400', '404'),
        },
      },
    },
    '/api/v1/operations/{opId}': {
      parameters: [pathParam('opId')],
      get: {
        operationId: 'getOperation',
        summary: 'One operation (poll it while it runs)',
        responses: { '200': response('The operation', ref('Operation')), ...errors('404') },
      },
    },
    '/api/v1/links/{id}/conflicts': {
      parameters: [
        pathParam('id'),
        {
          name: 'state',
          in: 'query',
          description: 'Leave out for all conflicts, settled ones included',
          schema: { type: 'string', enum: ['open', 'settled'] },
        },
        {
          name: 'kind',
          in: 'query',
          description: 'Only conflicts of this kind',
          schema: { type: 'string', enum: [...CONFLICT_KINDS] },
        },
        {
          name: 'operationId',
          in: 'query',
          description: 'Only conflicts recorded by this sync (what `bridge sync --wait` reports)',
          schema: { type: 'string' },
        },
        ...pageParams,
      ],
      get: {
        operationId: 'listConflicts',
        summary: 'Conflicts with base, design and definitions values, newest first',
        description: '`total` counts every conflict the filters match, over all pages.',
        responses: {
          '200': response('A page of conflicts, and how many match in all', ref('ConflictPage')),
          ...errors('400', '404'),
        },
      },
    },
    '/api/v1/links/{id}/conflicts/resolve': {
      parameters: [pathParam('id')],
      post: {
        operationId: 'resolveLinkConflicts',
        summary: 'Settle every open conflict of the link (or of one kind) with one side; queues one sync',
        description:
          'Each conflict is settled as the one-conflict resolve would. A removal conflict holds null on ' +
          'the side that removed the service: taking that side deletes it everywhere, taking the other ' +
          `keeps it. At most ${BULK_RESOLVE_LIMIT} conflicts per request; \`remaining\` says how many are still open.`,
        requestBody: jsonBody(ref('BulkResolveBody')),
        responses: {
          '200': response('What was settled, and the sync queued to write it', ref('BulkResolveResult')),
          ...errors(...BODY_ERRORS, '404', '503'),
        },
      },
    },
    '/api/v1/links/{id}/conflicts/{cid}/resolve': {
      parameters: [pathParam('id'), pathParam('cid')],
      post: {
        operationId: 'resolveConflict',
        summary: 'Settle a conflict and queue a sync that writes the choice to both sides',
        requestBody: jsonBody(ref('ResolveBody')),
        responses: {
          '200': response('Settled', {
            type: 'object',
            properties: { conflict: ref('Conflict'), operationId: { type: 'string' } },
          }),
          ...errors(...BODY_ERRORS, '404', '409', '503'),
        },
      },
    },
    '/api/v1/links/{id}/drift': {
      parameters: [pathParam('id')],
      get: {
        operationId: 'getDrift',
        summary: 'Design vs definitions vs implementation findings',
        responses: { '200': response('Findings', ref('Drift')), ...errors('404') },
      },
    },
    '/api/v1/health/history': {
      get: {
        operationId: 'healthHistory',
        summary: 'A link’s integration health now and its changes of status (newest first, kept 90 days)',
        description:
          'A tenant’s own links; the admin’s, any link. The health job checks every 5 minutes: the link’s access, the repository’s credentials, latency, ' +
          'rate-limit headroom and webhook, the design’s credentials and Drive channel.',
        parameters: [
          { name: 'link', in: 'query', required: true, description: 'The link', schema: { type: 'string' } },
          {
            name: 'limit',
            in: 'query',
            description: 'Most changes returned',
            schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
        ],
        responses: { '200': response('Health and history', ref('HealthHistory')), ...errors('400', '404') },
      },
    },
    '/api/v1/stats': {
      get: {
        operationId: 'syncStats',
        summary:
          'Sync figures over a window: runs, success and conflict rates, latency p50/p95/p99 per bucket',
        description:
          'A tenant’s figures cover its own links; the admin’s cover every tenant. ' +
          `At most ${STATS_MAX_RUNS} runs (the newest) are read: \`truncated\` and \`coveredSince\` say when there were more.`,
        parameters: [
          {
            name: 'hours',
            in: 'query',
            description: 'The window, ending now',
            schema: { type: 'integer', minimum: 1, maximum: 744, default: 24 },
          },
          {
            name: 'bucketMinutes',
            in: 'query',
            description:
              'Bucket size of the series (at most 500 buckets; by default the smallest giving at most 250)',
            schema: { type: 'integer', enum: [...STATS_BUCKET_MINUTES] },
          },
          { name: 'link', in: 'query', description: 'Only this link', schema: { type: 'string' } },
        ],
        responses: { '200': response('Figures', ref('SyncStats')), ...errors('400', '404') },
      },
    },
    '/api/v1/deliveries': {
      get: {
        operationId: 'listDeliveries',
        summary: 'GitHub webhook deliveries, most recently seen first (admin)',
        description:
          'outcome=received lists deliveries recorded but never published (a publish failed; a redelivery publishes them).',
        parameters: [
          ...pageParams,
          {
            name: 'outcome',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: [...DELIVERY_OUTCOMES] },
          },
        ],
        responses: {
          '200': response('A page of deliveries', pageOf(ref('Delivery'))),
          ...errors('400', '403'),
        },
      },
    },
    '/api/v1/deliveries/{deliveryId}': {
      parameters: [pathParam('deliveryId')],
      get: {
        operationId: 'getDelivery',
        summary: 'A GitHub webhook delivery (admin)',
        responses: { '200': response('The delivery', ref('Delivery')), ...errors('403', '404') },
      },
    },
    '/api/v1/dead-letters': {
      get: {
        operationId: 'listDeadLetters',
        summary: 'Messages that failed every attempt (admin)',
        description:
          'On GCP: the Pub/Sub dead-letter subscriptions, one page (no page tokens), oldest first.',
        parameters: pageParams,
        responses: {
          '200': response('A page of dead letters', pageOf(ref('DeadLetter'))),
          ...errors('400', '403', '503'),
        },
      },
    },
    '/api/v1/dead-letters/{id}/replay': {
      parameters: [pathParam('id')],
      post: {
        operationId: 'replayDeadLetter',
        summary: 'Put a dead letter back on its topic (admin)',
        responses: {
          '202': response('Replayed', { type: 'object', properties: { replayed: { type: 'string' } } }),
          ...errors('403', '404', '503'),
        },
      },
    },
  };
}
