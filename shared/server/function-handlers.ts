import type { AuthThrottle } from '../api/auth-throttle.ts';
import type { RateLimiter } from '../api/rate-limit.ts';
import type { AppContext } from '../context/index.ts';
import type { HttpHandler } from '../http/index.ts';
import type { GithubWebhookOptions } from '../ingress/index.ts';
import type { MessageHandler } from '../ports/index.ts';
import { type ConsumerName, TOPIC_SPECS, type TopicName } from '../topology/index.ts';

export interface FunctionHandlers {
  githubWebhook: HttpHandler;
  driveNotifications: HttpHandler;
  statusApi: HttpHandler;
  /**
   * Topic → its consumer's handler (shared/topology), for the embedded bus; on GCP the same handlers
   * sit behind the push endpoints of the sync-worker and scheduler functions.
   */
  subscriptions: Record<TopicName, MessageHandler>;
  close(): Promise<void>;
}

export interface FunctionHandlerOptions {
  /** The status API's per-key rate limiter (default: DEFAULT_TIERS on the wall clock). */
  rateLimiter?: RateLimiter;
  /** Failed authentication per client address (default: DEFAULT_AUTH_THROTTLE on the wall clock). */
  authThrottle?: AuthThrottle;
  /** The webhook intake's limits (in-flight slots, unverified bytes, body deadline). */
  webhook?: GithubWebhookOptions;
}

export async function createFunctionHandlers(
  ctx: AppContext,
  options: FunctionHandlerOptions = {},
): Promise<FunctionHandlers> {
  const [{ createGithubWebhookHandler }, { createDriveNotificationsHandler }, { createStatusApiHandler }] =
    await Promise.all([
      import('../ingress/github-webhook.ts'),
      import('../ingress/drive-notifications.ts'),
      import('../api/status-api.ts'),
    ]);
  const [{ createSyncWorker }, { createScheduler }] = await Promise.all([
    import('../sync/worker.ts'),
    import('../scheduler/scheduler.ts'),
  ]);
  const consumers: Record<ConsumerName, MessageHandler> = {
    'sync-worker': createSyncWorker(ctx),
    scheduler: createScheduler(ctx),
  };
  const subscriptions = Object.fromEntries(
    Object.entries(TOPIC_SPECS).map(([topic, spec]) => [topic, consumers[spec.consumer]]),
  ) as Record<TopicName, MessageHandler>;
  return {
    githubWebhook: createGithubWebhookHandler(ctx, options.webhook),
    driveNotifications: createDriveNotificationsHandler(ctx),
    statusApi: createStatusApiHandler(ctx, options.rateLimiter, options.authThrottle),
    subscriptions,
    close: async () => {},
  };
}
