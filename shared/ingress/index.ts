export {
  DriveChannel,
  deleteChannel,
  getChannel,
  listChannels,
  saveChannel,
} from './channels.ts';
export {
  DELIVERY_OUTCOMES,
  type DeliveryOutcome,
  getDelivery,
  listDeliveries,
} from './delivery-record.ts';
export { createDriveNotificationsHandler } from './drive-notifications.ts';
export {
  createGithubWebhookHandler,
  type GithubWebhookOptions,
  WEBHOOK_BODY_LIMIT,
} from './github-webhook.ts';
export { BRIDGE_COMMIT_TRAILER, hasBridgeTrailer, isOwnCommitPush } from './own-commit.ts';
export { UnverifiedIntake } from './unverified-intake.ts';
export { WEBHOOK_SECRET_CACHE_MS, WEBHOOK_SECRET_RECHECK_MS } from './webhook-secrets.ts';
