export { COLLECTIONS, TTL_COLLECTIONS } from './collections.ts';
export { ConflictRecord } from './conflict-model.ts';
export { docId, docIdPart, ID_SAFE } from './doc-id.ts';
export { recordConnections } from './link-connections.ts';
export {
  LINK_STATUSES,
  Link,
  LinkDriveChannel,
  LinkPositions,
  type LinkStatus,
  LinkWebhook,
  WEBHOOK_STATES,
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
  OPERATION_STATUSES,
  Operation,
  OperationAttempt,
  ServiceChanges,
  SYNC_DIRECTIONS,
  type SyncDirection,
} from './operation-model.ts';
export { encodePageToken, type Page, pageCursor, queryPage } from './paged-query.ts';
