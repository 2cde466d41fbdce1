import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PubSubDeadLetters } from '../../shared/adapters/gcp/pubsub-dead-letters.ts';
import { PubSubPublisher } from '../../shared/adapters/gcp/pubsub-publisher.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { type FakePublisher, startFakePublisher } from './support/pubsub-loopback.ts';
import { type FakeSubscriber, startFakeSubscriber } from './support/subscriber-loopback.ts';

/*
 * What Google's Pub/Sub emulator cannot show, on loopback Subscriber and Publisher services:
 *  - several dead letters with chosen publish times across topics (merged oldest first, the limit);
 *  - the ordering key a replay publishes with (the emulator's pushes do not carry it);
 *  - faults: a replay whose publish or release fails (nothing can be injected into the emulator);
 *  - that every pull asks to return at once: the emulator holds an empty pull until about a second
 *    before the call's deadline, so with the reader's 1 s deadline it answers at once either way.
 * A real dead-lettering, listing, replay, an unknown id and a missing dead-letter subscription are
 * proven on the emulator itself (pubsub-google-emulator.test.ts).
 */
const sub = (topic: string) => `projects/demo-bridge/subscriptions/test-${topic}-dead-letter`;
const ALL = Object.values(TOPICS);

let subscriber: FakeSubscriber;
let pubsub: FakePublisher;
let publisher: PubSubPublisher;
let deadLetters: PubSubDeadLetters;

function deadLetter(id: string, data: unknown, at: string, extra: Record<string, string> = {}) {
  return {
    messageId: id,
    data: Buffer.from(JSON.stringify(data)),
    orderingKey: 'lnk_1',
    publishTime: new Date(at),
    attributes: {
      linkId: 'lnk_1',
      CloudPubSubDeadLetterSourceDeliveryCount: '10',
      CloudPubSubDeadLetterSourceSubscription: 'test-sync-requests-push',
      CloudPubSubDeadLetterSourceSubscriptionProject: 'demo-bridge',
      CloudPubSubDeadLetterSourceTopicPublishTime: '2030-01-01T00:00:00.000Z',
      ...extra,
    },
  };
}

beforeEach(async () => {
  subscriber = await startFakeSubscriber(ALL.map(sub));
  pubsub = await startFakePublisher();
  publisher = new PubSubPublisher({ pubsub: pubsub.client(), topicPrefix: 'test-' });
  deadLetters = new PubSubDeadLetters({
    subscriber: () => subscriber.client(),
    projectId: 'demo-bridge',
    topicPrefix: 'test-',
    topics: ALL,
    publisher,
  });
  subscriber.add(
    sub('sync-requests'),
    deadLetter('m-2', { linkId: 'lnk_1', operationId: 'op_2' }, '2030-01-01T00:02:00Z'),
  );
  subscriber.add(
    sub('sync-requests'),
    deadLetter('m-1', { linkId: 'lnk_1', operationId: 'op_1' }, '2030-01-01T00:01:00Z'),
  );
  subscriber.add(sub('github-events'), deadLetter('m-3', { ref: 'refs/heads/main' }, '2030-01-01T00:03:00Z'));
});
afterEach(async () => {
  await deadLetters.close();
  await publisher.close();
  await subscriber.stop();
  await pubsub.stop();
});

const leasedAnywhere = () => ALL.reduce((n, t) => n + subscriber.leased(sub(t)), 0);

describe('PubSubDeadLetters against loopback Subscriber and Publisher services', () => {
  it('lists the dead letters of every topic, oldest first, and leaves them all available', async () => {
    const listed = await deadLetters.listDeadLetters({ limit: 10 });
    expect(listed.map((d) => [d.id, d.topic])).toEqual([
      ['m-1', 'sync-requests'],
      ['m-2', 'sync-requests'],
      ['m-3', 'github-events'],
    ]);
    expect(listed[0]).toEqual({
      id: 'm-1',
      topic: 'sync-requests',
      attempts: 10,
      deadAt: '2030-01-01T00:01:00.000Z',
      lastError: expect.stringContaining('function logs'),
      message: {
        id: 'm-1',
        topic: 'sync-requests',
        data: { linkId: 'lnk_1', operationId: 'op_1' },
        attributes: { linkId: 'lnk_1' },
        orderingKey: 'lnk_1',
        publishTime: '2030-01-01T00:00:00.000Z',
        deliveryAttempt: 10,
      },
    });
    expect(leasedAnywhere()).toBe(0);
    expect(await deadLetters.listDeadLetters({ limit: 2 })).toHaveLength(2);
    expect(await deadLetters.listDeadLetters()).toHaveLength(3);
  });

  it('has no page tokens', async () => {
    await expect(deadLetters.listDeadLetters({ startAfterId: 'm-1' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('replays one: published back to its topic as it was, then acknowledged; the others stay', async () => {
    expect(await deadLetters.replayDeadLetter('m-2')).toBe(true);
    expect(pubsub.requests).toHaveLength(1);
    const [request] = pubsub.requests;
    expect(request?.topic).toBe('projects/demo-bridge/topics/test-sync-requests');
    expect(JSON.parse(request?.messages[0]?.data.toString('utf8') ?? '')).toEqual({
      linkId: 'lnk_1',
      operationId: 'op_2',
    });
    expect(request?.messages[0]).toMatchObject({ attributes: { linkId: 'lnk_1' }, orderingKey: 'lnk_1' });
    expect(subscriber.messages(sub('sync-requests')).map((m) => m.messageId)).toEqual(['m-1']);
    expect(subscriber.messages(sub('github-events'))).toHaveLength(1);
    expect(leasedAnywhere()).toBe(0);
  });

  it('a replay whose publish fails leaves the dead letter listed at once, not hidden for the ack deadline', async () => {
    pubsub.script.push({ error: Object.assign(new Error('denied'), { code: 7 }) });
    await expect(deadLetters.replayDeadLetter('m-1')).rejects.toBeDefined();
    expect(leasedAnywhere()).toBe(0);
    expect((await deadLetters.listDeadLetters()).map((d) => d.id)).toContain('m-1');
    expect(deadLetters.pageable).toBe(false);
  });

  it('a replay that cannot release the others still succeeds (they come back after the ack deadline)', async () => {
    subscriber.failNext('modifyAckDeadline');
    expect(await deadLetters.replayDeadLetter('m-1')).toBe(true);
    expect(subscriber.messages(sub('sync-requests')).map((m) => m.messageId)).toEqual(['m-2']);
    expect(pubsub.requests).toHaveLength(1);
  });

  it('says false for an id it cannot find, and leaves everything available', async () => {
    expect(await deadLetters.replayDeadLetter('m-404')).toBe(false);
    expect(pubsub.requests).toHaveLength(0);
    expect(leasedAnywhere()).toBe(0);
    expect(await deadLetters.listDeadLetters()).toHaveLength(3);
  });
});

describe('PubSubDeadLetters answers at once, however many subscriptions are empty', () => {
  /** Pub/Sub holds a synchronous pull on an empty subscription open unless told to return at once. */
  const SLOW = { pullLatencyMs: 150, longPollMs: 20_000 };
  /**
   * Well under one held pull: a reader that waits on an empty subscription takes 20 s or more. The
   * margin keeps a loaded 2-core CI machine from failing it; the pull counts prove the mechanism.
   */
  const BOUND_MS = SLOW.longPollMs / 4;
  let slow: FakeSubscriber;
  let reader: PubSubDeadLetters;
  beforeEach(async () => {
    slow = await startFakeSubscriber(ALL.map(sub), SLOW);
    reader = new PubSubDeadLetters({
      subscriber: () => slow.client(),
      projectId: 'demo-bridge',
      topicPrefix: 'test-',
      topics: ALL,
      publisher,
    });
    slow.add(sub('sync-requests'), deadLetter('s-1', { linkId: 'lnk_1' }, '2030-01-01T00:01:00Z'));
    slow.add(sub('scheduler-jobs'), deadLetter('s-2', { job: 'reconcile' }, '2030-01-01T00:02:00Z'));
  });
  afterEach(async () => {
    await reader.close();
    await slow.stop();
  });

  const timed = async <T>(work: () => Promise<T>) => {
    const started = performance.now();
    const result = await work();
    return { result, ms: performance.now() - started };
  };

  it('lists every subscription in parallel, without waiting on the empty ones', {
    timeout: 10_000,
  }, async () => {
    const { result, ms } = await timed(() => reader.listDeadLetters());
    expect(result.map((d) => d.id)).toEqual(['s-1', 's-2']);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(slow.immediatePulls).toBe(ALL.length);
  });

  it('replays from the last subscription without waiting either', { timeout: 10_000 }, async () => {
    const { result, ms } = await timed(() => reader.replayDeadLetter('s-2'));
    expect(result).toBe(true);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(slow.messages(sub('scheduler-jobs'))).toEqual([]);
    expect(slow.messages(sub('sync-requests')).map((m) => m.messageId)).toEqual(['s-1']);
    const { result: missing, ms: missingMs } = await timed(() => reader.replayDeadLetter('s-404'));
    expect(missing).toBe(false);
    expect(missingMs).toBeLessThan(BOUND_MS);
  });
});
