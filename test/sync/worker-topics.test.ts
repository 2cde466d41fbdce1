import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFunctionHandlers } from '../../shared/edge/function-handlers.ts';
import type { BusMessage } from '../../shared/ports/index.ts';
import { createSyncWorker } from '../../shared/sync/worker.ts';
import { TOPIC_SPECS, TOPICS, topicsConsumedBy } from '../../shared/topology/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';

const message = (topic: string): BusMessage => ({
  id: `m-${topic}`,
  topic,
  data: { linkId: 'lnk_missing' },
  attributes: {},
  publishTime: new Date().toISOString(),
  deliveryAttempt: 1,
});

describe('topics reach the function the topology names, and no other', () => {
  let bridge: TestBridge;
  beforeEach(async () => {
    bridge = await startTestBridge({ BRIDGE_TOPIC_PREFIX: 'stg-' });
  });
  afterEach(async () => {
    await bridge.close();
  });

  it.each([TOPICS.secretRotation, TOPICS.schedulerJobs, `stg-${TOPICS.syncRequests}`, 'sync-requests-push'])(
    'the sync worker refuses (does not acknowledge) a message on %s',
    async (topic) => {
      await expect(createSyncWorker(bridge.ctx)(message(topic))).rejects.toMatchObject({
        code: 'config_invalid',
        retryable: true,
      });
    },
  );

  it('the local server subscribes each topic to its consumer on the embedded bus', async () => {
    const handlers = await createFunctionHandlers(bridge.ctx);
    expect(Object.keys(handlers.subscriptions).sort()).toEqual(Object.keys(TOPIC_SPECS).sort());
    const worker = topicsConsumedBy('sync-worker').map((t) => handlers.subscriptions[t]);
    const scheduler = topicsConsumedBy('scheduler').map((t) => handlers.subscriptions[t]);
    expect(new Set(worker).size).toBe(1);
    expect(new Set(scheduler).size).toBe(1);
    expect(worker[0]).not.toBe(scheduler[0]);
    await handlers.close();
  });
});
