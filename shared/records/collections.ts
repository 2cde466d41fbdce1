/** State store collection names, in one place (Terraform's Firestore indexes and TTL policies use them). */
export const COLLECTIONS = {
  links: 'links',
  /** Last synced base snapshot per link (id = link id), written in the same transaction as the link. */
  bases: 'bases',
  operations: 'operations',
  conflicts: 'conflicts',
  /** Webhook deliveries (id = hook/app + delivery id): event, times received, outcome. TTL. */
  deliveries: 'deliveries',
  /** Drive watch channels (id = channel id): link, token, resource id, expiry. */
  channels: 'channels',
  /** Idempotency markers (delivery ids, message ids, operation keys). TTL. */
  idempotency: 'idempotency',
  apiKeys: 'api-keys',
  /** Single-use OAuth `state` values (hashed), id = hash. TTL. */
  oauthStates: 'oauth-states',
  /** Latest drift report per link (id = link id). */
  drift: 'drift',
  /** What the admin granted a tenant (id = tenant): GitHub owners, App installations, local folders. */
  grants: 'grants',
  /** Integration health per link (id = link id), as the 5-minute health job last found it. */
  health: 'health',
  /** Changes of a link's health status (id = link id ~ time). TTL 90 days. */
  healthHistory: 'health-history',
  /** Notification subscriptions (id = random): channel, triggers, encrypted target. */
  notificationSubscriptions: 'notification-subscriptions',
  /** One per subscription and condition notified (Argo's oncePer). TTL 30 days. */
  notificationMarks: 'notification-marks',
  /** Audit record of every AI call (id = time ~ random): tenant, key, purpose, tokens, cost. TTL (AI_AUDIT_TTL_DAYS). */
  aiCalls: 'ai-calls',
  /** AI requests and cost per tenant and UTC day / month (id = tenant ~ 2026-12-06 | 2026-12). TTL. */
  aiUsage: 'ai-usage',
  /** An admin's temporary AI quota override per tenant (id = tenant), with who granted it and why. TTL. */
  aiQuotaOverrides: 'ai-quota-overrides',
  /** A link's bootstrap job (id = link id, one at a time): progress, proposal, pull request. */
  bootstrapJobs: 'bootstrap-jobs',
  /** A model's change summary per tenant and changes fingerprint (id = tenant ~ fingerprint). TTL. */
  changeSummaries: 'change-summaries',
  /** The last suggested resolution of an open conflict (id = conflict id), so asking again costs nothing. TTL. */
  conflictSuggestions: 'conflict-suggestions',
} as const;

/** Collections whose documents carry `expireAt` and are removed by TTL. */
export const TTL_COLLECTIONS = [
  COLLECTIONS.deliveries,
  COLLECTIONS.idempotency,
  COLLECTIONS.oauthStates,
  COLLECTIONS.healthHistory,
  COLLECTIONS.notificationMarks,
  COLLECTIONS.aiCalls,
  COLLECTIONS.aiUsage,
  COLLECTIONS.aiQuotaOverrides,
  COLLECTIONS.changeSummaries,
  COLLECTIONS.conflictSuggestions,
] as const;
