import { z } from 'zod';
import { tenantCredentials } from '../access/index.ts';
import type { AppContext } from '../context/index.ts';
import {
  githubComment,
  NOTIFICATION_TRIGGERS,
  type NotificationEvent,
  signBody,
  slackMessage,
  webhookBody,
} from '../domain/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import type { BusMessage } from '../ports/index.ts';
import { postToPublicUrl, type Resolver } from '../providers/index.ts';
import { COLLECTIONS, findLink } from '../records/index.ts';
import { NotificationSubscription, openSecrets } from './subscriptions.ts';

export interface DeliveryOptions {
  /** Deliveries per subscription per minute; beyond, they are dropped and counted (default 20). */
  perMinute?: number;
  /** Longest wait for a receiver's answer (default 10 s). */
  timeoutMs?: number;
  /** The resolver of receivers' names (the system's by default). */
  resolve?: Resolver;
}

const Message = z.object({
  subscriptionId: z.string().min(1).max(100),
  event: z.looseObject({
    trigger: z.enum(NOTIFICATION_TRIGGERS),
    tenant: z.string(),
    linkId: z.string(),
    title: z.string(),
    text: z.string(),
    path: z.string(),
  }),
});

/** Whether the rate limit lets this delivery through; counts it in the subscription's window. */
async function takeSlot(
  ctx: AppContext,
  id: string,
  perMinute: number,
): Promise<{ slot: 'go'; sub: NotificationSubscription } | { slot: 'limited' | 'gone' }> {
  return ctx.state.runTransaction(async (tx) => {
    const doc = await tx.get(COLLECTIONS.notificationSubscriptions, id);
    const parsed = doc ? NotificationSubscription.safeParse(doc.data) : undefined;
    if (!doc || !parsed?.success) return { slot: 'gone' };
    const sub = parsed.data;
    const now = ctx.now();
    const current =
      sub.window && now.getTime() - Date.parse(sub.window.start) < 60_000 ? sub.window : undefined;
    if (current && current.count >= perMinute) {
      tx.update(
        COLLECTIONS.notificationSubscriptions,
        id,
        { ...sub, suppressed: sub.suppressed + 1 },
        { ifVersion: doc.version },
      );
      return { slot: 'limited' };
    }
    const window = current
      ? { ...current, count: current.count + 1 }
      : { start: now.toISOString(), count: 1 };
    tx.update(COLLECTIONS.notificationSubscriptions, id, { ...sub, window }, { ifVersion: doc.version });
    return { slot: 'go', sub: { ...sub, window } };
  });
}

async function recordDelivery(
  ctx: AppContext,
  id: string,
  lastDelivery: NotificationSubscription['lastDelivery'],
): Promise<void> {
  await ctx.state
    .runTransaction(async (tx) => {
      const doc = await tx.get<NotificationSubscription>(COLLECTIONS.notificationSubscriptions, id);
      if (doc)
        tx.update(
          COLLECTIONS.notificationSubscriptions,
          id,
          { ...doc.data, lastDelivery },
          { ifVersion: doc.version },
        );
    })
    .catch((err: unknown) =>
      ctx.logger.warn('notification delivery not recorded', { subscriptionId: id, error: err }),
    );
}

/** Receivers' answers a retry may change; any other 4xx is the subscription's fault. */
const RETRYABLE = (status: number) => status === 408 || status === 429 || status >= 500;

async function send(
  ctx: AppContext,
  sub: NotificationSubscription,
  event: NotificationEvent,
  deliveryId: string,
  options: DeliveryOptions,
): Promise<number | undefined> {
  const base = ctx.config.urls.api;
  if (sub.channel === 'github-comment') {
    const link = await findLink(ctx.state, event.linkId);
    if (!link || link.data.tenant !== sub.tenant)
      throw new AppError('not_found', 'The link of this subscription is gone');
    const registry = await ctx.providers();
    const repo = registry.repo(link.data.repo, await tenantCredentials(ctx, link.data));
    await repo.commentOnIssue(sub.issue ?? 0, githubComment(event, base));
    return undefined;
  }
  const { url, key } = await openSecrets(ctx, sub);
  if (!url) throw new AppError('config_invalid', 'The subscription has no target');
  const body =
    sub.channel === 'slack'
      ? JSON.stringify(slackMessage(event, base))
      : webhookBody(event, base, deliveryId);
  const headers: Record<string, string> =
    sub.channel === 'webhook'
      ? {
          'x-bridge-event': event.trigger,
          'x-bridge-delivery': deliveryId,
          ...(key ? { 'x-bridge-signature-256': signBody(body, key) } : {}),
        }
      : {};
  const status = await postToPublicUrl(url, body, headers, {
    timeoutMs: options.timeoutMs ?? 10_000,
    allowLoopback: ctx.config.BRIDGE_BACKEND === 'local',
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  if (status >= 200 && status < 300) return status;
  const error = new AppError(
    RETRYABLE(status) ? 'upstream_failed' : 'bad_request',
    `The notification receiver answered ${status}`,
  );
  throw Object.assign(error, { receiverStatus: status });
}

/**
 * The `notifications` topic's consumer (in the scheduler function): sends one notification to one
 * subscription. A receiver's 5xx, 429, timeout or connection failure throws (the bus redelivers with
 * backoff, then dead-letters); a refusal a retry cannot change (another 4xx, a deleted subscription,
 * the rate limit) is recorded and acknowledged. Never logs a target URL or key.
 */
export async function deliverNotification(
  ctx: AppContext,
  message: BusMessage,
  options: DeliveryOptions = {},
): Promise<void> {
  const logger = ctx.logger.child({ component: 'notifications' });
  const parsed = Message.safeParse(message.data);
  if (!parsed.success) {
    logger.warn('notification message dropped: not a notification', { messageId: message.id });
    return;
  }
  const { subscriptionId } = parsed.data;
  const event = parsed.data.event as unknown as NotificationEvent;
  const taken = await takeSlot(ctx, subscriptionId, options.perMinute ?? 20);
  if (taken.slot !== 'go') {
    if (taken.slot === 'gone') logger.info('notification dropped: subscription deleted', { subscriptionId });
    else logger.warn('notification dropped: channel rate limit', { subscriptionId, trigger: event.trigger });
    return;
  }
  // The subscription as the slot's transaction read it: no second read.
  const { sub } = taken;
  try {
    const status = await send(ctx, sub, event, message.id, options);
    await recordDelivery(ctx, subscriptionId, {
      at: ctx.now().toISOString(),
      ok: true,
      ...(status ? { status } : {}),
    });
    logger.info('notification sent', {
      subscriptionId,
      channel: sub.channel,
      trigger: event.trigger,
      linkId: event.linkId,
    });
  } catch (err) {
    const appError = isAppError(err) ? err : new AppError('internal', 'Internal error');
    const status = (err as { receiverStatus?: number }).receiverStatus;
    await recordDelivery(ctx, subscriptionId, {
      at: ctx.now().toISOString(),
      ok: false,
      ...(status ? { status } : {}),
      error: appError.message,
    });
    logger.warn('notification not delivered', {
      subscriptionId,
      channel: sub.channel,
      trigger: event.trigger,
      error: { code: appError.code, message: appError.message },
      retried: appError.retryable,
    });
    if (appError.retryable) throw appError;
  }
}
