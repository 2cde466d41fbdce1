export { AiCallAudit, listAiCalls, recordAiCall } from './ai-calls.ts';
export {
  AiQuotaOverride,
  deleteAiQuotaOverride,
  listAiQuotaOverrides,
  overrideInForce,
  putAiQuotaOverride,
} from './ai-quota-overrides.ts';
export { allPeriodUsage, listAiCallsSince, type PeriodUsage, tenantPeriodUsage } from './ai-usage.ts';
export {
  BootstrapJob,
  createBootstrapJob,
  getBootstrapJob,
  isActive as isBootstrapActive,
  isFinished as isBootstrapFinished,
  updateBootstrapJob,
} from './bootstrap-jobs.ts';
export { COLLECTIONS, TTL_COLLECTIONS } from './collections.ts';
export { ConflictRecord } from './conflict-model.ts';
export { docId, docIdPart } from './doc-id.ts';
export {
  currentHealth,
  forgetHealth,
  HealthChange,
  healthHistory,
  healthOfLinks,
  IntegrationHealth,
  recordHealth,
} from './health-records.ts';
export { recordConnections } from './link-connections.ts';
export {
  LINK_STATUSES,
  Link,
  LinkDriveChannel,
  type LinkStatus,
  LinkWebhook,
} from './link-model.ts';
export {
  allLinks,
  findLink,
  getLink,
  linksForRepo,
  listLinks,
  newLinkId,
} from './link-repository.ts';
export {
  ChangeSummary,
  Operation,
  OperationAttempt,
  SYNC_DIRECTIONS,
  type SyncDirection,
} from './operation-model.ts';
export { type Page, queryPage } from './paged-query.ts';
