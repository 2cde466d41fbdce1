import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { TOPICS } from '../../ports/index.ts';
import { getLink } from '../../records/index.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { readJson } from '../validate.ts';

const BASE = '/api/v1/notifications/subscriptions';

/**
 * Notification subscriptions of the caller's tenant: Slack incoming webhooks, HMAC-signed webhooks
 * and GitHub issue comments, for every link or one. Target URLs and keys are stored encrypted and
 * never shown again (a generated webhook key is shown once, in the creation's answer).
 */
export function notificationRoutes(router: Router<Caller>, ctx: AppContext): void {
  const mod = () => import('../../notifications/index.ts');
  const own = async (caller: Caller, id: string) => {
    const sub = await (await mod()).getSubscription(ctx, id);
    if (!sub || sub.tenant !== caller.tenant) throw new AppError('not_found', `Subscription ${id} not found`);
    return sub;
  };

  router.add('POST', BASE, async (req, _p, caller) => {
    const { CreateSubscriptionBody, createSubscription } = await mod();
    const body = await readJson(req, CreateSubscriptionBody);
    // Only the tenant's own link (another tenant's is a 404, like everywhere else).
    if (body.linkId !== undefined) await getLink(ctx.state, caller.tenant, body.linkId);
    const created = await createSubscription(
      ctx,
      caller.tenant,
      caller.admin ? 'admin' : `key ${caller.keyId}`,
      body,
    );
    return json(201, { ...created.subscription, ...(created.secret ? { secret: created.secret } : {}) });
  });

  router.add('GET', BASE, async (_req, _p, caller) => {
    const { listSubscriptions, viewOf } = await mod();
    return json(200, { items: (await listSubscriptions(ctx, caller.tenant)).map(viewOf) });
  });

  router.add('GET', `${BASE}/{id}`, async (_req, { id }, caller) => {
    return json(200, (await mod()).viewOf(await own(caller, id ?? '')));
  });

  router.add('DELETE', `${BASE}/{id}`, async (_req, { id }, caller) => {
    await (await mod()).deleteSubscription(ctx, caller.tenant, id ?? '');
    return { status: 204 };
  });

  // A test message through the same path as real ones (bus, retries, signature), whatever its triggers.
  router.add('POST', `${BASE}/{id}/test`, async (_req, { id }, caller) => {
    const sub = await own(caller, id ?? '');
    const at = ctx.now().toISOString();
    const event = {
      trigger: sub.triggers[0],
      tenant: sub.tenant,
      linkId: sub.linkId ?? '',
      repo: '',
      design: '',
      title: 'test notification',
      text: 'This is a test of the subscription: nothing happened to any link.',
      fields: [],
      path: sub.linkId ? `/#link/${encodeURIComponent(sub.linkId)}` : '/',
      oncePer: randomUUID(),
      at,
    };
    const messageId = await ctx.publisher.publish(
      TOPICS.notifications,
      { subscriptionId: sub.id, event },
      { attributes: { trigger: String(event.trigger), subscriptionId: sub.id, linkId: event.linkId } },
    );
    return json(202, { queued: true, messageId });
  });
}
