import { describe, expect, it } from 'vitest';
import { gate, turns } from '../support/delivery-log.ts';
import {
  DeliveryLog,
  type OpenEventBus,
  recordingHandler,
  useEventBus,
} from '../support/event-bus-harness.ts';

export function eventBusLifecycleCases(open: OpenEventBus): void {
  const openBus = useEventBus(open);

  describe('ordering', () => {
    it('delivers one ordering key in publish order, one at a time, even across a retry', async () => {
      const { bus } = await openBus();
      const log = new DeliveryLog();
      const active = new Map<string, number>();
      let overlap = false;
      bus.subscribe(
        'ordered',
        recordingHandler(log, async (m) => {
          const key = m.orderingKey!;
          active.set(key, (active.get(key) ?? 0) + 1);
          if (active.get(key)! > 1) overlap = true;
          await turns(2);
          active.set(key, active.get(key)! - 1);
          const { n } = m.data as { n: number };
          if (key === 'k1' && n === 2 && m.deliveryAttempt === 1) throw new Error('first try of k1/2 fails');
        }),
      );
      bus.start();
      for (let n = 1; n <= 5; n++) {
        await bus.publish('ordered', { n }, { orderingKey: 'k1' });
        await bus.publish('ordered', { n }, { orderingKey: 'k2' });
      }
      await log.waitFor('ten acks', (l) => l.acked().length === 10);
      await bus.idle();

      const starts = (key: string) =>
        log.deliveries
          .filter((d) => d.message.orderingKey === key)
          .map((d) => (d.message.data as { n: number }).n);
      expect(starts('k1')).toEqual([1, 2, 2, 3, 4, 5]);
      expect(starts('k2')).toEqual([1, 2, 3, 4, 5]);
      expect(overlap).toBe(false);
    });

    it('delivers messages without an ordering key in parallel', async () => {
      const { bus } = await openBus();
      const log = new DeliveryLog();
      bus.subscribe(
        'parallel',
        recordingHandler(log, () =>
          log.waitFor('both messages to be in flight at once', (l) => l.deliveries.length === 2, 2_000),
        ),
      );
      bus.start();
      await bus.publish('parallel', { n: 1 });
      await bus.publish('parallel', { n: 2 });
      await log.waitFor('two outcomes', (l) => l.deliveries.filter((d) => d.outcome).length === 2);
      expect(log.deliveries.map((d) => [d.message.deliveryAttempt, d.outcome])).toEqual([
        [1, 'acked'],
        [1, 'acked'],
      ]);
    });
  });

  describe('idle and stop', () => {
    it('idle() resolves at once when there is nothing to do', async () => {
      const { bus } = await openBus();
      bus.subscribe('quiet', async () => {});
      bus.start();
      await expect(bus.idle()).resolves.toBeUndefined();
    });

    it('idle() waits for a delivery in flight', async () => {
      const { bus } = await openBus();
      const log = new DeliveryLog();
      const release = gate();
      bus.subscribe(
        'slow',
        recordingHandler(log, () => release.promise),
      );
      bus.start();
      await bus.publish('slow', {});
      await log.waitFor('the delivery to start', (l) => l.deliveries.length === 1);

      let idle = false;
      const waiting = bus.idle().then(() => {
        idle = true;
      });
      await turns();
      expect(idle).toBe(false);
      expect(await bus.stats()).toMatchObject({ inFlight: 1 });
      release.open();
      await waiting;
      expect(log.acked()).toHaveLength(1);
      expect(await bus.stats()).toEqual({ pending: 0, inFlight: 0, dead: 0 });
    });

    it('stop() lets in-flight work finish, takes no new messages, and start() resumes', async () => {
      const { bus } = await openBus();
      const log = new DeliveryLog();
      const release = gate();
      bus.subscribe(
        'work',
        recordingHandler(log, () => release.promise),
      );
      bus.start();
      const first = await bus.publish('work', { n: 1 });
      await log.waitFor('the first delivery', (l) => l.deliveries.length === 1);

      const stopping = bus.stop(5_000);
      const second = await bus.publish('work', { n: 2 });
      release.open();
      await stopping;
      expect(log.acked().map((d) => d.message.id)).toEqual([first]);
      await turns();
      expect(log.deliveries).toHaveLength(1);
      expect(await bus.stats()).toEqual({ pending: 1, inFlight: 0, dead: 0 });

      bus.start();
      await log.waitFor('the second message after restart', (l) => l.acked().length === 2);
      expect(log.acked().map((d) => d.message.id)).toEqual([first, second]);
    });

    it('stop() leaves work still running after the grace period to be delivered again, never acked', async () => {
      const harness = await openBus({ leaseMs: 300 });
      const stuck = new DeliveryLog();
      const release = gate();
      harness.bus.subscribe(
        'stuck',
        recordingHandler(stuck, () => release.promise),
      );
      harness.bus.start();
      const id = await harness.bus.publish('stuck', { n: 1 });
      await stuck.waitFor('the delivery to start', (l) => l.deliveries.length === 1);

      const started = Date.now();
      await harness.bus.stop(50);
      expect(Date.now() - started).toBeLessThan(2_000);
      release.open();
      await stuck.waitFor('the abandoned handler to finish', (l) => l.acked().length === 1);
      const { pending, inFlight } = await harness.bus.stats();
      expect(pending + inFlight).toBe(1);

      const other = await harness.reopen();
      const log = new DeliveryLog();
      other.subscribe('stuck', recordingHandler(log));
      other.start();
      await log.waitFor('the redelivery', (l) => l.acked().length === 1);
      await other.idle();
      expect(log.deliveries.map((d) => [d.message.id, d.message.deliveryAttempt])).toEqual([[id, 2]]);
      expect(await other.stats()).toEqual({ pending: 0, inFlight: 0, dead: 0 });
    });
  });
}
