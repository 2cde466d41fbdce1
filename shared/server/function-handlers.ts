import type { AuthThrottle } from '../api/auth-throttle.ts';
import type { RateLimiter } from '../api/rate-limit.ts';
import type { AppContext } from '../context/index.ts';
import type { HttpHandler } from '../http/index.ts';
import type { GithubWebhookOptions } from '../ingress/index.ts';
import { type MessageHandler, TOPICS } from '../ports/index.ts';

export interface FunctionHandlers {
  githubWebhook: HttpHandler;
  driveNotifications: HttpHandler;
  statusApi: HttpHandler;
  /** Topic → handler, for the embedded bus (on GCP the same handlers sit behind push endpoints). */
  subscriptions: Record<string, MessageHandler>;
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
  const worker = createSyncWorker(ctx);
  const scheduler = createScheduler(ctx);
  return {
    githubWebhook: createGithubWebhookHandler(ctx, options.webhook),
    driveNotifications: createDriveNotificationsHandler(ctx),
    statusApi: createStatusApiHandler(ctx, options.rateLimiter, options.authThrottle),
    subscriptions: {
      [TOPICS.githubEvents]: worker,
      [TOPICS.driveChanges]: worker,
      [TOPICS.syncRequests]: worker,
      [TOPICS.secretRotation]: scheduler,
      [TOPICS.schedulerJobs]: scheduler,
    },
    close: async () => {},
  };
}
