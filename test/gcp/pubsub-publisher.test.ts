import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PubSubPublisher } from '../../shared/adapters/gcp/pubsub-publisher.ts';
import { MAX_MESSAGE_BYTES } from '../../shared/ports/index.ts';
import { grpc, grpcError } from './support/grpc-loopback.ts';
import { type FakePublisher, startFakePublisher } from './support/pubsub-loopback.ts';

/*
 * What Google's Pub/Sub emulator cannot show, on a loopback Publisher service: how the client batches
 * Publish calls, and publish faults (UNAVAILABLE retried, permanent errors mapped, an ordering key not
 * left paused), which the emulator has no way to inject. Data, attributes, ordering keys, the
 * prefixed topic and NOT_FOUND for a missing topic are proven on the emulator itself
 * (pubsub-google-emulator.test.ts).
 */
let server: FakePublisher;
let publisher: PubSubPublisher;

const open = (options: { maxBatchMilliseconds?: number } = {}) =>
  new PubSubPublisher({
    pubsub: server.client(),
    topicPrefix: 'test-',
    // Short backoff so the retry case stays fast; the codes retried are the client's own defaults.
    gaxOpts: {
      retry: {
        retryCodes: [grpc.status.UNAVAILABLE],
        backoffSettings: {
          initialRetryDelayMillis: 5,
          retryDelayMultiplier: 1,
          maxRetryDelayMillis: 5,
          initialRpcTimeoutMillis: 5_000,
          rpcTimeoutMultiplier: 1,
          maxRpcTimeoutMillis: 5_000,
          totalTimeoutMillis: 10_000,
        },
      },
    },
    ...options,
  });

beforeEach(async () => {
  server = await startFakePublisher();
  publisher = open();
});
afterEach(async () => {
  await publisher.close();
  await server.stop();
});

const decoded = (i: number, j = 0) => {
  const message = server.requests[i]?.messages[j];
  return (
    message && {
      data: JSON.parse(message.data.toString('utf8')),
      attributes: message.attributes,
      orderingKey: message.orderingKey,
    }
  );
};

describe('PubSubPublisher against a loopback Publisher service', () => {
  it('publishes without attributes or key', async () => {
    await publisher.publish('sync-requests', ['a', 1, null]);
    expect(decoded(0)).toEqual({ data: ['a', 1, null], attributes: {}, orderingKey: '' });
  });

  it('batches messages published together into one Publish call', async () => {
    const ids = await Promise.all([1, 2, 3].map((n) => publisher.publish('drive-changes', { n })));
    expect(ids).toEqual(['1', '2', '3']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.messages).toHaveLength(3);
  });

  it('retries a transient UNAVAILABLE and resolves once the message is accepted', async () => {
    server.script.push({ error: grpcError(grpc.status.UNAVAILABLE, 'try again') });
    const id = await publisher.publish('github-events', { n: 1 }, { orderingKey: 'k' });
    expect(server.requests).toHaveLength(2);
    expect(decoded(1)?.data).toEqual({ n: 1 });
    expect(id).toBe('1');
  });

  it('surfaces a permanent error, and the ordering key is not stuck afterwards', async () => {
    server.script.push({ error: grpcError(grpc.status.PERMISSION_DENIED, 'no publish permission') });
    await expect(
      publisher.publish('github-events', { n: 1 }, { orderingKey: 'link-1' }),
    ).rejects.toMatchObject({
      code: 'upstream_failed',
    });
    expect(server.requests).toHaveLength(1);
    expect(await publisher.publish('github-events', { n: 2 }, { orderingKey: 'link-1' })).toBe('1');
    expect(decoded(1)).toMatchObject({ data: { n: 2 }, orderingKey: 'link-1' });
  });

  it.each([['INVALID_ARGUMENT', grpc.status.INVALID_ARGUMENT, 'bad_request']])(
    'maps %s to an AppError without retrying',
    async (_label, status, code) => {
      server.script.push({ error: grpcError(status, 'permanent') });
      await expect(publisher.publish('github-events', {})).rejects.toMatchObject({ code });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('refuses a message over the bus’s cap (under Pub/Sub’s 10 MB) before sending anything', async () => {
    await expect(publisher.publish('sync-requests', 'x'.repeat(MAX_MESSAGE_BYTES))).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    await publisher.publish('sync-requests', { small: true });
    await publisher.close();
    expect(server.requests.flatMap((r) => r.messages)).toHaveLength(1);
    expect(decoded(0)?.data).toEqual({ small: true });
  });

  it('close() sends what is still batched', async () => {
    await publisher.close();
    publisher = open({ maxBatchMilliseconds: 60_000 });
    const pending = publisher.publish('scheduler-jobs', { job: 'reconcile' });
    expect(server.requests).toHaveLength(0);
    await publisher.close();
    expect(await pending).toBe('1');
    expect(decoded(0)?.data).toEqual({ job: 'reconcile' });
  });
});
