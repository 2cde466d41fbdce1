import { GRANT_PATH_KINDS } from '../access/index.ts';
import { errors, pathParam, ref, response } from './openapi-helpers.ts';

const grantParams = [
  pathParam('tenant'),
  {
    name: 'kind',
    in: 'path',
    required: true,
    schema: { type: 'string', enum: Object.keys(GRANT_PATH_KINDS) },
  },
  {
    name: 'value',
    in: 'path',
    required: true,
    description:
      'A GitHub login (owners), an App installation id (installations), or an absolute folder, ' +
      'percent-encoded (local-paths: %2Fsrv%2Fbridge%2Facme)',
    schema: { type: 'string' },
  },
];

/** Grants and the access report (admin token only). */
export function grantPaths(): Record<string, object> {
  return {
    '/api/v1/grants': {
      get: {
        operationId: 'listGrants',
        summary: 'Every tenant’s grants (admin)',
        responses: {
          '200': response('Grants', {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: ref('TenantGrants') } },
          }),
          ...errors('403'),
        },
      },
    },
    '/api/v1/tenants/{tenant}/grants': {
      parameters: [pathParam('tenant')],
      get: {
        operationId: 'getTenantGrants',
        summary: 'What a tenant may reach through the bridge’s own credentials, and who granted it (admin)',
        responses: { '200': response('The grants', ref('TenantGrants')), ...errors('400', '403') },
      },
    },
    '/api/v1/tenants/{tenant}/grants/{kind}/{value}': {
      parameters: grantParams,
      put: {
        operationId: 'addGrant',
        summary: 'Grant a tenant a GitHub owner, an App installation or a local folder (admin)',
        description:
          'owners and installations let the bridge’s own GitHub token or App serve the tenant’s links to ' +
          'those repositories; local-paths let it link file:// paths inside that folder when the operator ' +
          'set BRIDGE_LOCAL_LINKS=any. Recorded with who granted it and when.',
        responses: {
          '200': response('Already granted', ref('TenantGrants')),
          '201': response('Granted', ref('TenantGrants')),
          ...errors('400', '403'),
        },
      },
      delete: {
        operationId: 'revokeGrant',
        summary: 'Revoke one grant (admin); the tenant’s links it served fail their next sync as forbidden',
        responses: { '200': response('Revoked', ref('TenantGrants')), ...errors('400', '403', '404') },
      },
    },
    '/api/v1/access/refused-links': {
      get: {
        operationId: 'listRefusedLinks',
        summary: 'Links whose tenant may no longer reach their repository or design, and why (admin)',
        responses: { '200': response('The report', ref('AccessReport')), ...errors('403') },
      },
    },
  };
}
