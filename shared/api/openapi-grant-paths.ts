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
      'A GitHub login (owners), an App installation id (installations), an absolute folder, ' +
      'percent-encoded (local-paths: %2Fsrv%2Fbridge%2Facme), or a Google Drive id, exactly as in its URL ' +
      '(drive-files: the id after /file/d/ or /apps/drive/; drive-folders: the id after /drive/folders/)',
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
        summary:
          'Grant a tenant a GitHub owner, an App installation, a local folder, or a Google Drive file or folder (admin)',
        description:
          'owners and installations let the bridge’s own GitHub token or App serve the tenant’s links to ' +
          'those repositories; local-paths let it link file:// paths inside that folder when the operator ' +
          'set BRIDGE_LOCAL_LINKS=any; drive-files and drive-folders let the bridge’s own Google ' +
          'credentials serve the tenant’s links to that Drive design, or to any design Drive lists in that ' +
          'folder (its `parents`). Tenants have no Google account of their own, so a grant is the only way ' +
          'a tenant links a Drive design. Recorded with who granted it and when.',
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
