import { z } from 'zod';
import type { AppContext } from '../context/index.ts';
import type { EventPublisher, PublishOptions, StateStore } from '../ports/index.ts';
import { COLLECTIONS, docId, docIdPart, queryPage } from '../records/index.ts';

/**
 * How long a delivery marker is kept. GitHub only lets deliveries of the last 3 days be redelivered
 * (and the recovery job looks back that far), so a week covers every redelivery.
 */
export const DELIVERY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * How long one request owns the publishing of a `received` delivery. A concurrent copy arriving
 * meanwhile is refused (409) rather than published twice or answered 2xx: if the owner then fails,
 * no attempt of that delivery succeeded, so GitHub's UI and the recovery job still redeliver it.
 * After the lease (the owner crashed) a redelivery takes over.
 */
export const DELIVERY_CLAIM_MS = 30_000;

export const DELIVERY_OUTCOMES = ['received', 'published', 'ignored', 'dropped-own-commit'] as const;
/**
 * `received`: recorded, not yet published (a publish failed or is in progress; the next delivery of
 * the same id publishes it). `published`: on `github-events`. `ignored`: accepted with nothing to
 * publish. `dropped-own-commit`: a push of the bridge's own commits (loop prevention).
 */
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export const WebhookDelivery = z.object({
  deliveryId: z.string(),
  /** Which hook sent it: `hook-<id>`, or `<target type>-<target id>` for an app without a hook id. */
  hook: z.string(),
  event: z.string(),
  action: z.string().optional(),
  repository: z.string().optional(),
  installationId: z.string().optional(),
  timesReceived: z.number().int().min(1),
  firstSeen: z.string(),
  lastSeen: z.string(),
  outcome: z.enum(DELIVERY_OUTCOMES),
  /** Bus message id once published. */
  messageId: z.string().optional(),
  /** While `received`: when a request took over publishing it (see DELIVERY_CLAIM_MS). */
  claimedAt: z.string().optional(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export type DeliveryFacts = Pick<
  WebhookDelivery,
  'deliveryId' | 'hook' | 'event' | 'action' | 'repository' | 'installationId'
>;

/**
 * Document id: one marker per (hook or app, delivery id). Encoded, not replaced: `d/3` and `d_3` are
 * two deliveries (GitHub's GUIDs encode to themselves, so markers stored earlier still match).
 */
export function deliveryDocId(hook: string, deliveryId: string): string {
  return docId(docIdPart(hook), docIdPart(deliveryId));
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface DeliveryReceipt {
  /** This receipt created the marker. */
  first: boolean;
  /** This receipt owns publishing it (the marker is `received` and no one else holds the claim). */
  claimed: boolean;
  record: WebhookDelivery;
}

/**
 * Records one receipt of a delivery: creates the marker if absent (create-if-absent is what makes
 * concurrent first deliveries safe), otherwise counts the redelivery and, when the delivery was never
 * published and nobody is publishing it, claims it.
 */
export async function recordDelivery(
  state: StateStore,
  facts: DeliveryFacts,
  now: Date,
): Promise<DeliveryReceipt> {
  const id = deliveryDocId(facts.hook, facts.deliveryId);
  const at = now.toISOString();
  const expireAt = new Date(now.getTime() + DELIVERY_TTL_MS);
  const fresh: WebhookDelivery = withoutUndefined({
    ...facts,
    timesReceived: 1,
    firstSeen: at,
    lastSeen: at,
    outcome: 'received',
    claimedAt: at,
  });
  if (await state.create(COLLECTIONS.deliveries, id, fresh, { expireAt })) {
    return { first: true, claimed: true, record: fresh };
  }
  return state.runTransaction(async (tx) => {
    const doc = await tx.get<WebhookDelivery>(COLLECTIONS.deliveries, id);
    if (!doc) {
      // Expired and purged between the two calls: this receipt starts a new record.
      tx.create(COLLECTIONS.deliveries, id, fresh, { expireAt });
      return { first: true, claimed: true, record: fresh };
    }
    const claimedAt = doc.data.claimedAt ? Date.parse(doc.data.claimedAt) : Number.NaN;
    const claimed = doc.data.outcome === 'received' && !(now.getTime() - claimedAt < DELIVERY_CLAIM_MS);
    const record: WebhookDelivery = {
      ...doc.data,
      timesReceived: doc.data.timesReceived + 1,
      lastSeen: at,
      ...(claimed ? { claimedAt: at } : {}),
    };
    tx.update(COLLECTIONS.deliveries, id, record, { expireAt });
    return { first: false, claimed, record };
  });
}

/**
 * The first receipt of a delivery in one step, where the publisher can write the marker with the
 * message (EventPublisher.publishIfCreated): creates it already `published` and publishes, both or
 * neither. Returns the message id; undefined when the marker existed (nothing published: the caller
 * goes through recordDelivery) or when the publisher cannot (the caller records, then publishes).
 * Create-if-absent still decides which receipt publishes.
 */
export async function publishFirstReceipt(
  publisher: EventPublisher,
  facts: DeliveryFacts,
  now: Date,
  message: { topic: string; data: unknown; options: PublishOptions },
): Promise<string | undefined> {
  if (!publisher.publishIfCreated) return undefined;
  const at = now.toISOString();
  const record = {
    collection: COLLECTIONS.deliveries,
    id: deliveryDocId(facts.hook, facts.deliveryId),
    expireAt: new Date(now.getTime() + DELIVERY_TTL_MS),
    data: (messageId: string): WebhookDelivery =>
      withoutUndefined({
        ...facts,
        timesReceived: 1,
        firstSeen: at,
        lastSeen: at,
        outcome: 'published',
        messageId,
      }),
  };
  return publisher.publishIfCreated(record, message.topic, message.data, message.options);
}

/**
 * Records a receipt whose publishing failed before anything was written (publishFirstReceipt): the
 * marker shows it `received` and unclaimed, so the next redelivery publishes it at once. False when
 * a concurrent receipt created the marker meanwhile.
 */
export async function recordUnpublished(
  state: StateStore,
  facts: DeliveryFacts,
  now: Date,
): Promise<boolean> {
  const at = now.toISOString();
  const record: WebhookDelivery = withoutUndefined({
    ...facts,
    timesReceived: 1,
    firstSeen: at,
    lastSeen: at,
    outcome: 'received',
  });
  const expireAt = new Date(now.getTime() + DELIVERY_TTL_MS);
  return state.create(COLLECTIONS.deliveries, deliveryDocId(facts.hook, facts.deliveryId), record, {
    expireAt,
  });
}

/**
 * Sets the outcome and releases the claim (setting `received` again after a failed publish lets the
 * next redelivery publish at once), keeping the counts concurrent receipts may have bumped.
 */
export async function setDeliveryOutcome(
  state: StateStore,
  facts: Pick<DeliveryFacts, 'hook' | 'deliveryId'>,
  outcome: DeliveryOutcome,
  now: Date,
  messageId?: string,
): Promise<void> {
  const id = deliveryDocId(facts.hook, facts.deliveryId);
  const expireAt = new Date(now.getTime() + DELIVERY_TTL_MS);
  await state.runTransaction(async (tx) => {
    const doc = await tx.get<WebhookDelivery>(COLLECTIONS.deliveries, id);
    if (!doc) return;
    const { claimedAt: _released, ...rest } = doc.data;
    tx.update(COLLECTIONS.deliveries, id, withoutUndefined({ ...rest, outcome, messageId }), { expireAt });
  });
}

/**
 * A webhook delivery for `GET /api/v1/deliveries/{deliveryId}`, or undefined. Delivery GUIDs are
 * unique per hook, so one id normally has one marker; if several hooks reported it, the most
 * recently seen wins.
 */
export async function getDelivery(
  ctx: Pick<AppContext, 'state'>,
  deliveryId: string,
): Promise<Omit<WebhookDelivery, 'claimedAt'> | undefined> {
  if (!deliveryId) return undefined;
  const docs = await ctx.state.query<WebhookDelivery>(COLLECTIONS.deliveries, {
    where: [['deliveryId', '==', deliveryId]],
    limit: 10,
  });
  const latest = docs.map((d) => d.data).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen))[0];
  if (!latest) return undefined;
  const { claimedAt: _internal, ...shown } = WebhookDelivery.parse(latest);
  return shown;
}

/**
 * Webhook deliveries, most recently seen first, for `GET /api/v1/deliveries`: all, or those with one
 * outcome (`received` = recorded but never published: a publish failed and no redelivery has
 * published it yet). Paged by the last item's document id.
 */
export async function listDeliveries(
  ctx: Pick<AppContext, 'state'>,
  page: { pageSize: number; pageToken?: string | undefined; outcome?: DeliveryOutcome | undefined },
): Promise<{ items: Array<Omit<WebhookDelivery, 'claimedAt'>>; nextPageToken?: string }> {
  const found = await queryPage<WebhookDelivery>(
    ctx.state,
    COLLECTIONS.deliveries,
    {
      ...(page.outcome ? { where: [['outcome', '==', page.outcome]] } : {}),
      orderBy: { field: 'lastSeen', direction: 'desc' },
    },
    page,
  );
  const items = found.items.map((d) => {
    const { claimedAt: _internal, ...rest } = WebhookDelivery.parse(d.data);
    return rest;
  });
  return { ...found, items };
}
