import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcpBackends } from '../../shared/adapters/gcp/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { PUSH_SUBSCRIPTIONS } from '../../shared/topology/index.ts';
import { type FakeSubscriber, startFakeSubscriber } from './support/subscriber-loopback.ts';

/*
 * The dead-letter reader is a v1.SubscriberClient, which (unlike the PubSub class) does not read
 * PUBSUB_EMULATOR_HOST itself. Pointed at a loopback Subscriber service the way a developer points the
 * bridge at the Pub/Sub emulator, it must go there, not to Google (METADATA_SERVER_DETECTION=none: no
 * credentials are found, so dialling Google fails at once).
 */
const ENV = ['PUBSUB_EMULATOR_HOST', 'METADATA_SERVER_DETECTION', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;
const deadLetterSubscription = (name: string) => `projects/demo-bridge/subscriptions/stg-${name}`;
let saved: Record<string, string | undefined>;
let subscriber: FakeSubscriber;

beforeAll(async () => {
  subscriber = await startFakeSubscriber(
    PUSH_SUBSCRIPTIONS.map((s) => deadLetterSubscription(s.deadLetterSubscription)),
  );
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  process.env.PUBSUB_EMULATOR_HOST = subscriber.endpoint;
  process.env.METADATA_SERVER_DETECTION = 'none';
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
});
afterAll(async () => {
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await subscriber.stop();
});

describe('dead letters on the Pub/Sub emulator', () => {
  it('reads the dead-letter subscriptions at PUBSUB_EMULATOR_HOST', async () => {
    const config = loadConfig({
      BRIDGE_BACKEND: 'gcp',
      GOOGLE_CLOUD_PROJECT: 'demo-bridge',
      BRIDGE_TOPIC_PREFIX: 'stg-',
    });
    const backends = await createGcpBackends(config, createLogger({ write: () => {} }));
    subscriber.add(deadLetterSubscription('sync-requests-dead-letter'), {
      messageId: 'emu-1',
      data: Buffer.from(JSON.stringify({ linkId: 'lnk_1' })),
      attributes: { CloudPubSubDeadLetterSourceDeliveryCount: '10' },
      publishTime: new Date('2030-01-01T00:00:00Z'),
    });
    try {
      const listed = await backends.deadLetters.listDeadLetters();
      expect(listed.map((d) => [d.id, d.topic])).toEqual([['emu-1', 'sync-requests']]);
      expect(new Set(subscriber.calls.filter((c) => c.method === 'pull').map((c) => c.subscription))).toEqual(
        new Set(PUSH_SUBSCRIPTIONS.map((s) => deadLetterSubscription(s.deadLetterSubscription))),
      );
    } finally {
      await backends.close();
    }
  });
});
