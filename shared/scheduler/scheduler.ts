import { z } from 'zod';
import { BOOTSTRAP_JOB, runBootstrap } from '../bootstrap/index.ts';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { type HealthJobOptions, runHealthJob } from '../health/index.ts';
import { type DeliveryOptions, deliverNotification } from '../notifications/index.ts';
import { type BusMessage, type MessageHandler, TOPICS } from '../ports/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';
import { type DriveFeedOptions, followDriveChanges } from './drive-changes-feed.ts';
import { type RenewChannelsOptions, renewChannels } from './drive-channels.ts';
import type { GithubAppClient } from './github-app-client.ts';
import { type ReconcileOptions, reconcileLinks } from './reconcile.ts';
import { type RecoverDeliveriesOptions, recoverDeliveries } from './recover-deliveries.ts';
import { retryRepoWebhooks } from './repo-webhooks.ts';
import { handleSecretRotation } from './secret-rotation.ts';
import { renewWebhookSecret } from './webhook-secret-renewal.ts';

export const SCHEDULER_JOBS = [
  'reconcile',
  'renew-channels',
  'recover-deliveries',
  'drive-changes',
  'health',
] as const;
export type SchedulerJob = (typeof SCHEDULER_JOBS)[number];

const JobMessage = z.object({ job: z.enum(SCHEDULER_JOBS) });
/** An on-demand job: a link's bootstrap, queued by the API (not by Cloud Scheduler). */
const BootstrapMessage = z.object({
  job: z.literal(BOOTSTRAP_JOB),
  linkId: z.string().min(1).max(200),
  jobId: z.string().min(1).max(100),
});

export interface SchedulerOptions {
  reconcile?: ReconcileOptions;
  recovery?: Omit<RecoverDeliveriesOptions, 'client'>;
  channels?: Omit<RenewChannelsOptions, 'watch' | 'renewAll'>;
  driveFeed?: Omit<DriveFeedOptions, 'watch'>;
  health?: HealthJobOptions;
  notifications?: DeliveryOptions;
  webhookGraceMs?: number;
  /** Test seams; by default both are built from the config. */
  github?: GithubAppClient | null;
  watch?: DriveWatchClient | null;
}

function jobOf(message: BusMessage): SchedulerJob {
  const parsed = JobMessage.safeParse(message.data);
  if (parsed.success) return parsed.data.job;
  const fromAttribute = JobMessage.safeParse({ job: message.attributes.job });
  if (fromAttribute.success) return fromAttribute.data.job;
  // Never valid on a retry either: the dead-letter topic keeps it for inspection.
  throw new AppError(
    'bad_request',
    `Scheduler job message names no known job (${SCHEDULER_JOBS.join(', ')})`,
  );
}

/**
 * The scheduler function: Cloud Scheduler jobs on `scheduler-jobs` (reconcile, channel renewal,
 * failed-delivery recovery, the Drive changes feed, integration health) Secret Manager rotation notifications on `secret-rotation`, and the bridge's own notifications
 * (Slack, signed webhooks, GitHub comments) on `notifications`.
 * Resolves = ack, throws = nack (redelivered with backoff).
 */
export function createScheduler(ctx: AppContext, options: SchedulerOptions = {}): MessageHandler {
  const logger = ctx.logger.child({ component: 'scheduler' });
  const seams = {
    ...(options.github === undefined ? {} : { github: options.github }),
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  };

  const runJob = async (job: SchedulerJob, message: BusMessage) => {
    switch (job) {
      case 'reconcile':
        return reconcileLinks(ctx, message.id, options.reconcile);
      case 'renew-channels': {
        // Webhooks first: a channel renewal that fails throws (the job is retried), after both ran.
        // The checks come before the secret, so a hook found by them is held to the newest secret.
        const webhooks = await retryRepoWebhooks(ctx);
        const webhookSecret = await renewWebhookSecret(ctx, options.webhookGraceMs).catch((err: unknown) => {
          logger.warn('webhook secret renewal failed', { error: err });
          return undefined;
        });
        return { ...(await renewChannels(ctx, { ...options.channels, ...seams })), webhooks, webhookSecret };
      }
      case 'recover-deliveries':
        return recoverDeliveries(ctx, {
          ...options.recovery,
          ...(seams.github === undefined ? {} : { client: seams.github }),
        });
      case 'drive-changes':
        return followDriveChanges(ctx, { ...options.driveFeed, ...seams });
      case 'health':
        return runHealthJob(ctx, options.health);
    }
  };

  return async (message) => {
    if (message.topic === TOPICS.notifications)
      return deliverNotification(ctx, message, options.notifications);
    if (message.topic !== TOPICS.secretRotation && message.topic !== TOPICS.schedulerJobs) {
      // Not acknowledged: a message routed here by mistake is redelivered, then dead-lettered.
      throw new AppError(
        'config_invalid',
        `The scheduler does not consume topic ${message.topic} (shared/topology)`,
      );
    }
    if (message.topic === TOPICS.secretRotation) {
      await handleSecretRotation(ctx, message, {
        ...(options.webhookGraceMs === undefined ? {} : { webhookGraceMs: options.webhookGraceMs }),
        ...seams,
      });
      return;
    }
    const bootstrap = BootstrapMessage.safeParse(message.data);
    if (bootstrap.success) return runBootstrap(ctx, bootstrap.data.linkId, bootstrap.data.jobId);
    const job = jobOf(message);
    const started = Date.now();
    const result = await runJob(job, message);
    logger.info('scheduler job done', { job, messageId: message.id, ms: Date.now() - started, result });
  };
}
