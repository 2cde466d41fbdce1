import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGcpBackends, type GcpBackends } from '../../shared/adapters/gcp/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { PUSH_SUBSCRIPTIONS, TOPICS } from '../../shared/topology/index.ts';
import {
  type PubSubEmulator,
  pubsubEmulatorMissing,
  startPubSubEmulator,
} from './support/pubsub-emulator.ts';

/*
 * Dead letters on Google's own Pub/Sub emulator, reached the way a developer reaches it: through
 * PUBSUB_EMULATOR_HOST. The emulator, like Pub/Sub, holds a synchronous pull on an empty subscription
 * open unless it is asked to return at once, so this also proves the listing does not wait on the
 * empty ones. Topics and subscriptions are created over the emulator's REST API as Terraform would
 * (names from shared/topology, prefixed).
 */
const missing = await pubsubEmulatorMissing();
if (missing) console.warn(`Pub/Sub emulator tests skipped: ${missing}`);
const PROJECT = 'demo-bridge';
const PREFIX = 'emu-';
/** The emulator holds a pull on an empty subscription about 20 s unless told to return at once. */
const HELD_PULL_MS = 20_000;
const ENV = ['PUBSUB_EMULATOR_HOST', 'METADATA_SERVER_DETECTION', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;

describe.skipIf(missing !== undefined)(
  `dead letters on the Pub/Sub emulator${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let emulator: PubSubEmulator;
    let backends: GcpBackends;
    let saved: Record<string, string | undefined>;
    const put = async (path: string, body: unknown = {}) => {
      const res = await fetch(`${emulator.rest}/${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
    };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${emulator.rest}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const timed = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, ms: performance.now() - started };
    };

    beforeAll(async () => {
      emulator = await startPubSubEmulator(PROJECT);
      for (const s of PUSH_SUBSCRIPTIONS) {
        await put(`topics/${PREFIX}${s.topic}`);
        await put(`topics/${PREFIX}${s.deadLetterTopic}`);
        await put(`subscriptions/${PREFIX}${s.deadLetterSubscription}`, {
          topic: `projects/${PROJECT}/topics/${PREFIX}${s.deadLetterTopic}`,
        });
      }
      // Where a replayed sync request lands, to see it arrive.
      await put(`subscriptions/${PREFIX}replayed-sync-requests`, {
        topic: `projects/${PROJECT}/topics/${PREFIX}${TOPICS.syncRequests}`,
      });
      // As Pub/Sub forwards a message after its last failed push.
      await post(`topics/${PREFIX}sync-requests-dead-letter:publish`, {
        messages: [
          {
            data: Buffer.from(JSON.stringify({ linkId: 'lnk_1', operationId: 'op_1' })).toString('base64'),
            attributes: { linkId: 'lnk_1', CloudPubSubDeadLetterSourceDeliveryCount: '10' },
          },
        ],
      });
      saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
      process.env.PUBSUB_EMULATOR_HOST = emulator.host;
      process.env.METADATA_SERVER_DETECTION = 'none';
      delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      const config = loadConfig({
        BRIDGE_BACKEND: 'gcp',
        GOOGLE_CLOUD_PROJECT: PROJECT,
        BRIDGE_TOPIC_PREFIX: PREFIX,
      });
      backends = await createGcpBackends(config, createLogger({ write: () => {} }));
    });
    afterAll(async () => {
      await backends?.close();
      for (const k of ENV) {
        if (saved?.[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await emulator?.stop();
    });

    it('lists every dead-letter subscription without waiting on the empty ones', async () => {
      const { result, ms } = await timed(() => backends.deadLetters.listDeadLetters());
      expect(result.map((d) => [d.topic, d.message.data])).toEqual([
        ['sync-requests', { linkId: 'lnk_1', operationId: 'op_1' }],
      ]);
      expect(ms).toBeLessThan(HELD_PULL_MS / 4);
    });

    it('replays it onto its topic without waiting, and it is gone from the dead letters', async () => {
      const [letter] = await backends.deadLetters.listDeadLetters();
      const { result, ms } = await timed(() => backends.deadLetters.replayDeadLetter(letter?.id ?? ''));
      expect(result).toBe(true);
      expect(ms).toBeLessThan(HELD_PULL_MS / 4);
      const pulled = await post(`subscriptions/${PREFIX}replayed-sync-requests:pull`, {
        maxMessages: 10,
        returnImmediately: true,
      });
      const messages = (pulled.receivedMessages ?? []) as Array<{ message: { data: string } }>;
      expect(messages.map((m) => JSON.parse(Buffer.from(m.message.data, 'base64').toString()))).toEqual([
        { linkId: 'lnk_1', operationId: 'op_1' },
      ]);
      expect(await backends.deadLetters.listDeadLetters()).toEqual([]);
    });
  },
);
