import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DELIVERY_CLAIM_MS,
  DELIVERY_TTL_MS,
  deliveryDocId,
  getDelivery,
  recordDelivery,
  setDeliveryOutcome,
} from '../../shared/ingress/delivery-record.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { tempStateStore } from './support/state-store.ts';

const facts = { deliveryId: 'd-1', hook: 'hook-7', event: 'push', repository: 'o/r', action: undefined };

describe('delivery record', () => {
  let store: ReturnType<typeof tempStateStore>;
  beforeEach(() => {
    store = tempStateStore();
  });
  afterEach(() => store.close());

  it('creates the marker with a TTL on first receipt and counts later ones', async () => {
    const first = await recordDelivery(store.state, facts, store.now());
    expect(first).toMatchObject({
      first: true,
      claimed: true,
      record: { timesReceived: 1, outcome: 'received' },
    });
    const doc = await store.state.get(COLLECTIONS.deliveries, deliveryDocId('hook-7', 'd-1'));
    expect(doc && Date.parse(doc.expireAt ?? '')).toBe(store.now().getTime() + DELIVERY_TTL_MS);
    expect(doc?.data).not.toHaveProperty('action');

    await setDeliveryOutcome(store.state, facts, 'published', store.now(), 'm-1');
    store.advance(1_000);
    const again = await recordDelivery(store.state, facts, store.now());
    expect(again).toMatchObject({
      first: false,
      claimed: false,
      record: { timesReceived: 2, outcome: 'published' },
    });
    expect(await getDelivery({ state: store.state }, 'd-1')).toEqual({
      deliveryId: 'd-1',
      hook: 'hook-7',
      event: 'push',
      repository: 'o/r',
      timesReceived: 2,
      firstSeen: '2025-01-01T00:00:00.000Z',
      lastSeen: '2025-01-01T00:00:01.000Z',
      outcome: 'published',
      messageId: 'm-1',
    });
  });

  it('lets a redelivery take over an unpublished delivery only after the claim lease', async () => {
    await recordDelivery(store.state, facts, store.now());
    store.advance(DELIVERY_CLAIM_MS - 1);
    expect((await recordDelivery(store.state, facts, store.now())).claimed).toBe(false);
    store.advance(1);
    expect((await recordDelivery(store.state, facts, store.now())).claimed).toBe(true);
  });

  it('releases the claim when a publish fails so the next redelivery publishes at once', async () => {
    await recordDelivery(store.state, facts, store.now());
    await setDeliveryOutcome(store.state, facts, 'received', store.now());
    expect((await recordDelivery(store.state, facts, store.now())).claimed).toBe(true);
  });

  it('starts a new record when the marker expired and was purged', async () => {
    await recordDelivery(store.state, facts, store.now());
    store.advance(DELIVERY_TTL_MS + 1);
    await store.state.purgeExpired(COLLECTIONS.deliveries, store.now());
    expect(await recordDelivery(store.state, facts, store.now())).toMatchObject({
      first: true,
      claimed: true,
    });
  });

  it('returns undefined for an unknown or empty delivery id', async () => {
    expect(await getDelivery({ state: store.state }, 'nope')).toBeUndefined();
    expect(await getDelivery({ state: store.state }, '')).toBeUndefined();
  });
});
