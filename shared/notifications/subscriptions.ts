import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context/index.ts';
import { decryptCredential, EncryptedCredential, encryptCredential, loadKeyring } from '../crypto/index.ts';
import { NOTIFICATION_CHANNELS, NOTIFICATION_TRIGGERS } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import { COLLECTIONS } from '../records/index.ts';
import { checkTargetUrl } from './target-url.ts';

/** Most subscriptions one tenant may hold. */
export const MAX_SUBSCRIPTIONS_PER_TENANT = 50;

const LastDelivery = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** The receiver's HTTP status, when it answered. */
  status: z.number().int().optional(),
  error: z.string().optional(),
});

/** A stored subscription (id = random). The target URL and signing key are encrypted, never shown. */
export const NotificationSubscription = z.object({
  id: z.string(),
  tenant: z.string(),
  /** Only this link's events; null for every link of the tenant. */
  linkId: z.string().nullable(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  triggers: z.array(z.enum(NOTIFICATION_TRIGGERS)).min(1),
  /** What the target is, without its secret part (Slack: the host; webhook: the origin; GitHub: the issue). */
  label: z.string(),
  target: EncryptedCredential.nullable(),
  signingKey: EncryptedCredential.nullable(),
  /** github-comment: the issue to comment on. */
  issue: z.number().int().positive().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastDelivery: LastDelivery.optional(),
  /** Deliveries dropped by the per-channel rate limit. */
  suppressed: z.number().int().default(0),
  /** The rate limit's current window. */
  window: z.object({ start: z.string(), count: z.number().int() }).optional(),
});
export type NotificationSubscription = z.infer<typeof NotificationSubscription>;

/** `POST /api/v1/notifications/subscriptions`. */
export const CreateSubscriptionBody = z.strictObject({
  channel: z.enum(NOTIFICATION_CHANNELS),
  /** slack: the incoming-webhook URL; webhook: where to POST. Not for github-comment. */
  url: z.string().max(2048).optional(),
  /** webhook: the HMAC-SHA256 key (16-256 characters); generated and shown once when absent. */
  secret: z.string().min(16).max(256).optional(),
  linkId: z.string().min(1).max(100).optional(),
  triggers: z.array(z.enum(NOTIFICATION_TRIGGERS)).min(1).max(NOTIFICATION_TRIGGERS.length).optional(),
  /** github-comment: the issue number in the link's repository. */
  issue: z.number().int().positive().optional(),
});
export type CreateSubscriptionBody = z.infer<typeof CreateSubscriptionBody>;

/** What the API shows of a subscription: nothing secret. */
export const SubscriptionView = NotificationSubscription.omit({
  target: true,
  signingKey: true,
  window: true,
});
export type SubscriptionView = z.infer<typeof SubscriptionView>;

export function viewOf(sub: NotificationSubscription): SubscriptionView {
  const { target: _t, signingKey: _k, window: _w, ...shown } = sub;
  return shown;
}

const keyring = (ctx: AppContext) =>
  loadKeyring(ctx.secrets, { createIfMissing: ctx.config.BRIDGE_BACKEND === 'local' });

/**
 * Validates and stores a subscription. `linkId`, when given, must be a link of the tenant (the
 * caller checks). Returns the view and, for a webhook whose key the bridge generated, the key (shown
 * this once).
 */
export async function createSubscription(
  ctx: AppContext,
  tenant: string,
  createdBy: string,
  body: CreateSubscriptionBody,
): Promise<{ subscription: SubscriptionView; secret?: string }> {
  const existing = await ctx.state.count(COLLECTIONS.notificationSubscriptions, {
    where: [['tenant', '==', tenant]],
  });
  if (existing >= MAX_SUBSCRIPTIONS_PER_TENANT)
    throw new AppError('conflict', `A tenant may hold at most ${MAX_SUBSCRIPTIONS_PER_TENANT} subscriptions`);
  const keys = await keyring(ctx);
  let label: string;
  let target: EncryptedCredential | null = null;
  let signingKey: EncryptedCredential | null = null;
  let secret: string | undefined;
  if (body.channel === 'github-comment') {
    if (body.url !== undefined || body.secret !== undefined)
      throw new AppError('validation_failed', 'github-comment takes `issue`, not `url` or `secret`');
    if (body.issue === undefined || body.linkId === undefined)
      throw new AppError(
        'validation_failed',
        'github-comment needs `linkId` and the `issue` number to comment on',
      );
    label = `issue #${body.issue}`;
  } else {
    if (body.url === undefined) throw new AppError('validation_failed', `${body.channel} needs \`url\``);
    if (body.issue !== undefined)
      throw new AppError('validation_failed', '`issue` is for github-comment only');
    if (body.channel === 'slack' && body.secret !== undefined)
      throw new AppError('validation_failed', 'slack takes no `secret` (the URL is the secret)');
    const url = checkTargetUrl(body.url, { allowLoopback: ctx.config.BRIDGE_BACKEND === 'local' });
    label = body.channel === 'slack' ? url.host : url.origin;
    target = encryptCredential(url.href, keys);
    if (body.channel === 'webhook') {
      secret = body.secret ?? randomBytes(32).toString('base64url');
      signingKey = encryptCredential(secret, keys);
    }
  }
  const sub: NotificationSubscription = {
    id: randomUUID(),
    tenant,
    linkId: body.linkId ?? null,
    channel: body.channel,
    triggers: body.triggers ? [...new Set(body.triggers)] : [...NOTIFICATION_TRIGGERS],
    label,
    target,
    signingKey,
    issue: body.issue ?? null,
    createdAt: ctx.now().toISOString(),
    createdBy,
    suppressed: 0,
  };
  await ctx.state.create(COLLECTIONS.notificationSubscriptions, sub.id, sub);
  // The generated key is returned once; a key the caller chose is theirs already.
  return { subscription: viewOf(sub), ...(secret && body.secret === undefined ? { secret } : {}) };
}

export async function getSubscription(
  ctx: AppContext,
  id: string,
): Promise<NotificationSubscription | undefined> {
  const doc = await ctx.state.get(COLLECTIONS.notificationSubscriptions, id);
  const parsed = doc ? NotificationSubscription.safeParse(doc.data) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

/** A tenant's subscriptions (every tenant's for undefined), oldest first. */
export async function listSubscriptions(
  ctx: AppContext,
  tenant: string | undefined,
): Promise<NotificationSubscription[]> {
  const docs = await ctx.state.query(COLLECTIONS.notificationSubscriptions, {
    ...(tenant === undefined ? {} : { where: [['tenant', '==', tenant]] }),
    limit: 1000,
  });
  return docs
    .flatMap((d) => {
      const parsed = NotificationSubscription.safeParse(d.data);
      return parsed.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function deleteSubscription(ctx: AppContext, tenant: string, id: string): Promise<void> {
  const sub = await getSubscription(ctx, id);
  if (!sub || sub.tenant !== tenant) throw new AppError('not_found', `Subscription ${id} not found`);
  await ctx.state.delete(COLLECTIONS.notificationSubscriptions, id);
}

/** The target URL and signing key in clear, for the delivery only. */
export async function openSecrets(
  ctx: AppContext,
  sub: NotificationSubscription,
): Promise<{ url?: string; key?: string }> {
  if (!sub.target) return {};
  const keys = await keyring(ctx);
  return {
    url: decryptCredential(sub.target, keys),
    ...(sub.signingKey ? { key: decryptCredential(sub.signingKey, keys) } : {}),
  };
}
