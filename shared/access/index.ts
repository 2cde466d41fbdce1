export {
  AccessReport,
  GRANT_PATH_KINDS,
  Grant,
  GrantEvent,
  type GrantPathKind,
  RefusedLink,
  TenantGrants,
} from './grant-model.ts';
export { changeGrant, grantedValues, HISTORY_LIMIT, listGrants, readGrants } from './grants-store.ts';
export { checkLinkAccess, type LinkAccess, type LinkTarget } from './link-access.ts';
export { refusedLinks } from './refused-links.ts';
export { tenantCredentials } from './tenant-credentials.ts';
