import { describe, expect, it } from 'vitest';
import {
  DeliveryLog,
  type OpenEventBus,
  recordingHandler,
  useEventBus,
} from '../support/event-bus-harness.ts';

export function eventBusDeliveryCases(open: OpenEventBus): void {
  const openBus = useEventBus(open);

  describe('delivery', () => {
    it('delivers each published message once with its data, attributes and ordering key', async () => {
      const { bus } = await openBus();
      const log = new DeliveryLog();
      bus.subscribe('orders', recordingHandler(log));
      bus.start();
      const ids = [
        await bus.publish('orders', { n: 1, nested: { list: [1, 'a'] } }, { attributes: { kind: 'push' } }),
        await bus.publish('orders', { n: 2 }, { orderingKey: 'link-1' }),
        await bus.publish('orders', 'plain string'),
      ];
      await log.waitFor('3 acks', (l) => l.acked().length === 3);
      await bus.idle();

      expect(new Set(ids).size).toBe(3);
      expect(log.ids().sort()).toEqual([...ids].sort());
      const byId = new Map(log.deliveries.map((d) => [d.message.id, d.message]));
      expect(byId.get(ids[0]!)).toMatchObject({
        topic: 'orders',
        data: { n: 1, nested: { list: [1, 'a'] } },
        attributes: { kind: 'push' },
        deliveryAttempt: 1,
      });
      expect(byId.get(ids[0]!)?.orderingKey).toBeUndefined();
      expect(byId.get(ids[1]!)).toMatchObject({ data: { n: 2 }, attributes: {}, orderingKey: 'link-1' });
      expect(byId.get(ids[2]!)?.data).toBe('plain string');
      expect(Number.isNaN(Date.parse(byId.get(ids[0]!)!.publishTime))).toBe(false);
      expect(await bus.stats()).toEqual({ pending: 0, inFlight: 0, dead: 0 });
    });

    it('delivers only to the handlers of the message topic', async () => {
      const { bus } = await openBus();
      const a = new DeliveryLog();
      const b = new DeliveryLog();
      bus.subscribe('topic-a', recordingHandler(a));
      bus.subscribe('topic-b', recordingHandler(b));
      bus.start();
      const id = await bus.publish('topic-b', { to: 'b' });
      await b.waitFor('the delivery to b', (l) => l.acked().length === 1);
      await bus.idle();
      expect(a.deliveries).toHaveLength(0);
      expect(b.ids()).toEqual([id]);
    });

    it('keeps a message published before anyone subscribes until a subscriber starts', async () => {
      const { bus } = await openBus();
      const id = await bus.publish('later', { early: true });
      bus.start();
      await bus.idle();
      expect(await bus.stats()).toMatchObject({ pending: 1, inFlight: 0 });

      const log = new DeliveryLog();
      bus.subscribe('later', recordingHandler(log));
      await log.waitFor('the early message', (l) => l.acked().length === 1);
      expect(log.ids()).toEqual([id]);
    });

    it('redelivers after a thrown handler with growing backoff, then stops once acked', async () => {
      const { bus } = await openBus({ retry: { maxAttempts: 5, minBackoffMs: 30, maxBackoffMs: 1_000 } });
      const log = new DeliveryLog();
      bus.subscribe(
        'flaky',
        recordingHandler(log, (m) => {
          if (m.deliveryAttempt < 3) throw new Error(`attempt ${m.deliveryAttempt} failed`);
        }),
      );
      bus.start();
      const id = await bus.publish('flaky', { n: 1 });
      await log.waitFor('the third attempt to succeed', (l) => l.acked().length === 1);
      await bus.idle();

      expect(log.deliveries.map((d) => [d.message.id, d.message.deliveryAttempt, d.outcome])).toEqual([
        [id, 1, 'failed'],
        [id, 2, 'failed'],
        [id, 3, 'acked'],
      ]);
      const [first, second, third] = log.deliveries.map((d) => d.at);
      expect(second! - first!).toBeGreaterThanOrEqual(30);
      expect(third! - second!).toBeGreaterThanOrEqual(60);
      expect(await bus.stats()).toEqual({ pending: 0, inFlight: 0, dead: 0 });
    });
  });

  describe('dead letters', () => {
    it('dead-letters after the last attempt, keeping the whole message and the last error', async () => {
      const { bus } = await openBus();
      const log = new DeliveryLog();
      bus.subscribe(
        'doomed',
        recordingHandler(log, (m) => {
          throw new Error(`handler failed on attempt ${m.deliveryAttempt}`);
        }),
      );
      bus.start();
      const id = await bus.publish(
        'doomed',
        { payload: [1, 2] },
        { attributes: { a: 'b' }, orderingKey: 'k' },
      );
      await log.waitFor('three attempts', (l) => l.deliveries.filter((d) => d.outcome).length === 3);
      await bus.idle();

      expect(log.deliveries.map((d) => d.message.deliveryAttempt)).toEqual([1, 2, 3]);
      const dead = await bus.listDeadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        id,
        topic: 'doomed',
        lastError: 'handler failed on attempt 3',
        attempts: 3,
        message: { id, topic: 'doomed', data: { payload: [1, 2] }, attributes: { a: 'b' }, orderingKey: 'k' },
      });
      expect(Number.isNaN(Date.parse(dead[0]!.deadAt))).toBe(false);
      expect(await bus.stats()).toEqual({ pending: 0, inFlight: 0, dead: 1 });
    });

    it('lets a later message with the same ordering key through once the earlier one is dead', async () => {
      const { bus } = await openBus({ retry: { maxAttempts: 1, minBackoffMs: 10, maxBackoffMs: 10 } });
      const log = new DeliveryLog();
      bus.subscribe(
        't',
        recordingHandler(log, (m) => {
          if ((m.data as { n: number }).n === 1) throw new Error('poison');
        }),
      );
      bus.start();
      await bus.publish('t', { n: 1 }, { orderingKey: 'k' });
      const next = await bus.publish('t', { n: 2 }, { orderingKey: 'k' });
      await log.waitFor('the next message', (l) => l.acked().some((d) => d.message.id === next));
      expect(await bus.stats()).toMatchObject({ dead: 1 });
    });

    it('replays a dead letter with a fresh attempt count', async () => {
      const { bus } = await openBus();
      let healthy = false;
      const log = new DeliveryLog();
      bus.subscribe(
        'replay',
        recordingHandler(log, () => {
          if (!healthy) throw new Error('downstream unavailable');
        }),
      );
      bus.start();
      const id = await bus.publish('replay', { keep: 'me' }, { attributes: { x: 'y' } });
      await log.waitFor(
        'three failures',
        (l) => l.deliveries.filter((d) => d.outcome === 'failed').length === 3,
      );
      await bus.idle();

      healthy = true;
      expect(await bus.replayDeadLetter(id)).toBe(true);
      await log.waitFor('the replayed delivery', (l) => l.acked().length === 1);
      await bus.idle();
      expect(log.acked()[0]!.message).toMatchObject({
        id,
        data: { keep: 'me' },
        attributes: { x: 'y' },
        deliveryAttempt: 1,
      });
      expect(await bus.listDeadLetters()).toEqual([]);
      expect(await bus.stats()).toEqual({ pending: 0, inFlight: 0, dead: 0 });
      expect(await bus.replayDeadLetter(id)).toBe(false);
      expect(await bus.replayDeadLetter('no-such-message')).toBe(false);
    });

    it('pages dead letters in the order they died', async () => {
      const { bus } = await openBus({ retry: { maxAttempts: 1, minBackoffMs: 10, maxBackoffMs: 10 } });
      const log = new DeliveryLog();
      bus.subscribe(
        'dead',
        recordingHandler(log, () => {
          throw new Error('no');
        }),
      );
      bus.start();
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) {
        ids.push(await bus.publish('dead', { n }, { orderingKey: 'one-at-a-time' }));
      }
      await log.waitFor(
        'five failures',
        (l) => l.deliveries.filter((d) => d.outcome === 'failed').length === 5,
      );
      await bus.idle();

      const first = await bus.listDeadLetters({ limit: 2 });
      const second = await bus.listDeadLetters({ limit: 2, startAfterId: first.at(-1)!.id });
      const third = await bus.listDeadLetters({ limit: 2, startAfterId: second.at(-1)!.id });
      expect([...first, ...second, ...third].map((d) => d.id)).toEqual(ids);
      expect(third).toHaveLength(1);
    });
  });
}
