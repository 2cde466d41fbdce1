export { AI_KEY_SETTLE_MS } from './ai-key-rotation.ts';
export {
  DRIVE_FEED_ID,
  type DriveFeedOptions,
  type DriveFeedPosition,
  type DriveFeedResult,
  drivePosition,
  followDriveChanges,
} from './drive-changes-feed.ts';
export {
  CHANNEL_RENEWAL_MARGIN_MS,
  type RenewChannelsOptions,
  type RenewChannelsResult,
  renewChannels,
} from './drive-channels.ts';
export { githubAppClient } from './github-app-client.ts';
export { type LocalScheduleIntervals, startLocalSchedule } from './local-schedule.ts';
export { type ReconcileOptions, type ReconcileResult, reconcileLinks } from './reconcile.ts';
export {
  LAST_RECOVERY_ID,
  lastRecovery,
  type RecoverDeliveriesOptions,
  type RecoverySummary,
  recoverDeliveries,
} from './recover-deliveries.ts';
export { createScheduler, SCHEDULER_JOBS, type SchedulerJob, type SchedulerOptions } from './scheduler.ts';
export { SCHEDULER_COLLECTIONS } from './scheduler-collections.ts';
export {
  DRIVE_CHANNEL_TOKENS_SECRET,
  handleSecretRotation,
  type RotationRecord,
} from './secret-rotation.ts';
export { REDELIVERY_WINDOW_MS, selectRedeliveries } from './select-redeliveries.ts';
export { pruneWebhookSecretVersions, WEBHOOK_SECRET_GRACE_MS } from './webhook-secret-versions.ts';
