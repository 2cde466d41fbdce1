export { COLLECTIONS, TTL_COLLECTIONS } from './collections.ts';
export { LINK_STATUSES, Link, LinkPositions, type LinkStatus } from './link-model.ts';
