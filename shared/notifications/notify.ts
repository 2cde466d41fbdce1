import type { AppContext } from '../context/index.ts';
import type { NotificationEvent } from '../domain/index.ts';
import { TOPICS } from '../ports/index.ts';
import { COLLECTIONS, docId, docIdPart } from '../records/index.ts';
import { listSubscriptions, type NotificationSubscription } from './subscriptions.ts';

/** How long a condition is remembered per subscription (it notifies once in this time). */
export const ONCE_PER_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** The bus message of one notification to one subscription. */
export interface NotificationMessage {
  subscriptionId: string;
  event: NotificationEvent;
}

const matches = (sub: NotificationSubscription, event: NotificationEvent) =>
  sub.tenant === event.tenant &&
  (sub.linkId === null || sub.linkId === event.linkId) &&
  sub.triggers.includes(event.trigger);

/**
 * Queues `event` for every subscription of its tenant that asked for it, once per condition: a
 * marker (subscription, `oncePer`) is created first, so the same condition found again notifies
 * nobody a second time. Delivery happens on the `notifications` topic (retried, dead-lettered).
 * Never throws: a sync or health check is never held up by its notifications.
 */
export async function notify(
  ctx: AppContext,
  events: NotificationEvent | readonly (NotificationEvent | undefined)[],
): Promise<number> {
  const list = (Array.isArray(events) ? events : [events]).filter(
    (e): e is NotificationEvent => e !== undefined,
  );
  if (list.length === 0) return 0;
  const byTenant = new Map<string, NotificationSubscription[]>();
  let queued = 0;
  for (const event of list) {
    let subs = byTenant.get(event.tenant);
    if (!subs) {
      subs = await listSubscriptions(ctx, event.tenant).catch((err: unknown) => {
        ctx.logger.warn('notification subscriptions not read', { error: err });
        return [];
      });
      byTenant.set(event.tenant, subs);
    }
    queued += await queueOne(ctx, event, subs);
  }
  return queued;
}

async function queueOne(
  ctx: AppContext,
  event: NotificationEvent,
  all: NotificationSubscription[],
): Promise<number> {
  try {
    const subs = all.filter((s) => matches(s, event));
    let queued = 0;
    for (const sub of subs) {
      const marker = docId(docIdPart(sub.id), docIdPart(event.trigger), docIdPart(event.oncePer));
      const fresh = await ctx.state.create(
        COLLECTIONS.notificationMarks,
        marker,
        { subscriptionId: sub.id, trigger: event.trigger, at: event.at },
        { expireAt: new Date(ctx.now().getTime() + ONCE_PER_TTL_MS) },
      );
      if (!fresh) continue;
      const message: NotificationMessage = { subscriptionId: sub.id, event };
      try {
        await ctx.publisher.publish(TOPICS.notifications, message, {
          attributes: { trigger: event.trigger, subscriptionId: sub.id, linkId: event.linkId },
        });
        queued += 1;
      } catch (err) {
        // Not queued: forget the marker, so the next time the condition is found it notifies.
        await ctx.state.delete(COLLECTIONS.notificationMarks, marker).catch(() => undefined);
        throw err;
      }
    }
    return queued;
  } catch (err) {
    ctx.logger.warn('notification not queued', { trigger: event.trigger, linkId: event.linkId, error: err });
    return 0;
  }
}
