import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { webhook } from './support.ts';

const SECRET = 'identifiers-webhook-secret';
const body = JSON.stringify({ zen: 'Approachable is better than simple.', hook_id: 9 });

describe('delivery ids that differ only in characters a document id cannot hold stay apart', () => {
  let bridge: TestBridge;
  let rows = 0;
  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([
    ['d/3', 'd_3'],
    ['d 3', 'd_3'],
    ['d%2F3', 'd/3'],
    ['dé3', 'd_3'],
    ['d~3', 'd_3'],
    [`${'x'.repeat(200)}-a`, `${'x'.repeat(200)}-b`],
  ])('%j and %j are two deliveries, each recorded under its own id', async (x, y) => {
    // A fresh prefix per case: earlier cases must not have recorded these ids already.
    rows += 1;
    const [a, b] = [`${rows}${x}`, `${rows}${y}`];
    const first = await webhook(bridge, body, { secret: SECRET, event: 'ping', id: a });
    const second = await webhook(bridge, body, { secret: SECRET, event: 'ping', id: b });
    expect(first.body).toEqual({ status: 'accepted', deliveryId: a });
    expect(second.body).toEqual({ status: 'accepted', deliveryId: b });
    for (const id of [a, b]) {
      const record = await bridge.api<{ deliveryId: string; timesReceived: number }>(
        'GET',
        `/api/v1/deliveries/${encodeURIComponent(id)}`,
      );
      expect(record.body).toMatchObject({ deliveryId: id, timesReceived: 1 });
    }
  });

  it('a redelivery of an id with such characters is still a duplicate', async () => {
    const id = 'r/é 1';
    expect((await webhook(bridge, body, { secret: SECRET, event: 'ping', id })).body).toMatchObject({
      status: 'accepted',
    });
    expect((await webhook(bridge, body, { secret: SECRET, event: 'ping', id })).body).toMatchObject({
      status: 'duplicate',
    });
  });
});
