import type { AuthThrottle } from '../api/auth-throttle.ts';
import type { RateLimiter } from '../api/rate-limit.ts';
import type { AppContext } from '../context/index.ts';
import type { HttpHandler } from '../http/index.ts';
import type { GithubWebhookOptions } from '../ingress/index.ts';
import type { MessageHandler } from '../ports/index.ts';
import type { FunctionName } from '../topology/index.ts';

export interface FunctionHandlerOptions {
  /** The status API's per-key rate limiter (default: DEFAULT_TIERS on the wall clock). */
  rateLimiter?: RateLimiter;
  /** Failed authentication per client address (default: DEFAULT_AUTH_THROTTLE on the wall clock). */
  authThrottle?: AuthThrottle;
  /** The webhook intake's limits (in-flight slots, unverified bytes, body deadline). */
  webhook?: GithubWebhookOptions;
}

/** What a function does with a request: answer HTTP itself, or handle the bus messages pushed to it. */
export type FunctionHandler =
  | { kind: 'http'; handler: HttpHandler }
  | { kind: 'push'; handler: MessageHandler };

/**
 * The five functions and the handler each runs: the one table both hosts read (a Cloud Run
 * function serves one entry, the local server all five). Each entry imports only its own code, so
 * a function's cold start loads nothing of the others'. Which topics a push function consumes is
 * in shared/topology.
 */
export const FUNCTION_TABLE: Record<
  FunctionName,
  (ctx: AppContext, options: FunctionHandlerOptions) => Promise<FunctionHandler>
> = {
  'github-webhook': async (ctx, options) => ({
    kind: 'http',
    handler: (await import('../ingress/github-webhook.ts')).createGithubWebhookHandler(ctx, options.webhook),
  }),
  'drive-notifications': async (ctx) => ({
    kind: 'http',
    handler: (await import('../ingress/drive-notifications.ts')).createDriveNotificationsHandler(ctx),
  }),
  'status-api': async (ctx, options) => {
    const [{ createStatusApiHandler }, { serveDashboard }] = await Promise.all([
      import('../api/status-api.ts'),
      import('../dashboard/index.ts'),
    ]);
    return {
      kind: 'http',
      handler: createStatusApiHandler(ctx, options.rateLimiter, options.authThrottle, serveDashboard),
    };
  },
  'sync-worker': async (ctx) => ({
    kind: 'push',
    handler: (await import('../sync/worker.ts')).createSyncWorker(ctx),
  }),
  scheduler: async (ctx) => ({
    kind: 'push',
    handler: (await import('../scheduler/scheduler.ts')).createScheduler(ctx),
  }),
};
