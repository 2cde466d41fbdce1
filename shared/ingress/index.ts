export {
  DriveChannel,
  deleteChannel,
  getChannel,
  listChannels,
  saveChannel,
} from './channels.ts';
export {
  DELIVERY_OUTCOMES,
  DELIVERY_TTL_MS,
  type DeliveryOutcome,
  getDelivery,
  listDeliveries,
  WebhookDelivery,
} from './delivery-record.ts';
export {
  createDriveNotificationsHandler,
  type DriveChangeMessage,
  NOTIFICATION_MARKER_TTL_MS,
} from './drive-notifications.ts';
export {
  createGithubWebhookHandler,
  type GithubWebhookOptions,
  MAX_UNVERIFIED_BYTES,
  WEBHOOK_BODY_DEADLINE_MS,
  WEBHOOK_BODY_LIMIT,
} from './github-webhook.ts';
export { BRIDGE_COMMIT_TRAILER, hasBridgeTrailer, isOwnCommitPush } from './own-commit.ts';
export { type Admission, type IntakeLimits, UnverifiedIntake } from './unverified-intake.ts';
export { WEBHOOK_SECRET_CACHE_MS, WEBHOOK_SECRET_RECHECK_MS } from './webhook-secrets.ts';
