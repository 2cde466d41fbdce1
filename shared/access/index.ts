export {
  AccessReport,
  GRANT_PATH_KINDS,
  type GrantPathKind,
  TenantGrants,
} from './grant-model.ts';
export { changeGrant, listGrants, readGrants } from './grants-store.ts';

export { refusedLinks } from './refused-links.ts';
export { tenantCredentials } from './tenant-credentials.ts';
