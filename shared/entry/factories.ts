import type { AppContext } from '../context/index.ts';
import type { HttpHandler } from '../http/index.ts';

/** Handler factories per function, loaded lazily so each function loads only its own code. */
export const githubWebhook = async (ctx: AppContext): Promise<HttpHandler> =>
  (await import('../ingress/github-webhook.ts')).createGithubWebhookHandler(ctx);

export const driveNotifications = async (ctx: AppContext): Promise<HttpHandler> =>
  (await import('../ingress/drive-notifications.ts')).createDriveNotificationsHandler(ctx);

export const statusApi = async (ctx: AppContext): Promise<HttpHandler> =>
  (await import('../api/status-api.ts')).createStatusApiHandler(ctx);

/**
 * Pub/Sub push (raw envelope or CloudEvent) → the worker's message handler; 2xx only when done. The
 * topic comes from the subscription as shared/topology declares it (push-route.ts).
 */
export const syncWorker = async (ctx: AppContext): Promise<HttpHandler> => {
  const [{ createPushHandler }, { createSyncWorker }] = await Promise.all([
    import('../http/pubsub-push.ts'),
    import('../sync/worker.ts'),
  ]);
  return createPushHandler(createSyncWorker(ctx), ctx.logger, {
    consumer: 'sync-worker',
    topicPrefix: ctx.config.BRIDGE_TOPIC_PREFIX,
  });
};

export const scheduler = async (ctx: AppContext): Promise<HttpHandler> => {
  const [{ createPushHandler }, { createScheduler }] = await Promise.all([
    import('../http/pubsub-push.ts'),
    import('../scheduler/scheduler.ts'),
  ]);
  return createPushHandler(createScheduler(ctx), ctx.logger, {
    consumer: 'scheduler',
    topicPrefix: ctx.config.BRIDGE_TOPIC_PREFIX,
  });
};
