import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../shared/adapters/local/index.ts';
import type { BusMessage } from '../../shared/ports/index.ts';
import { DeliveryLog } from '../contract/support/delivery-log.ts';
import { tempDir } from '../contract/support/temp-dir.ts';
import { type Child, crash, nextEvent, spawnBusChild } from './support-child.ts';

describe('embedded bus across a crash', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let file: string;
  const children: Child[] = [];
  const buses: SqliteEventBus[] = [];
  const openBus = () => {
    // A long lease: redelivery must come from recognising the dead process, not from the lease running out.
    const bus = new SqliteEventBus({ file, leaseMs: 600_000 });
    buses.push(bus);
    return bus;
  };
  const subscribeRecorder = (bus: SqliteEventBus) => {
    const log = new DeliveryLog();
    bus.subscribe('crash', async (message: BusMessage) => {
      log.finished(log.started(message), 'acked');
    });
    return log;
  };

  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, 'bridge.sqlite');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await crash(child);
    for (const bus of buses.splice(0)) await bus.close();
    await dir.remove();
  });

  it('redelivers a message a killed process held, once, with deliveryAttempt 2', async () => {
    const publisher = openBus();
    const id = await publisher.publish('crash', { n: 1 }, { orderingKey: 'link-1' });

    const child = spawnBusChild(file, 'hang');
    children.push(child);
    expect(await nextEvent(child)).toEqual({ event: 'received', id, attempt: 1 });
    await crash(child);
    expect(await publisher.stats()).toMatchObject({ inFlight: 1, pending: 0 });

    const restarted = openBus();
    const log = subscribeRecorder(restarted);
    restarted.start();
    await log.waitFor('the redelivery', (l) => l.acked().length === 1);
    await restarted.idle();
    expect(log.deliveries.map((d) => [d.message.id, d.message.deliveryAttempt, d.message.data])).toEqual([
      [id, 2, { n: 1 }],
    ]);
    expect(await restarted.stats()).toEqual({ pending: 0, inFlight: 0, dead: 0 });
    await restarted.close();

    const again = openBus();
    const none = subscribeRecorder(again);
    again.start();
    await again.idle();
    expect(none.deliveries).toEqual([]);
  });

  it('delivers after a restart a message that was published, durable, and never delivered before a crash', async () => {
    const child = spawnBusChild(file, 'publish');
    children.push(child);
    const published = await nextEvent(child);
    expect(published).toMatchObject({ event: 'published', id: expect.any(String) });
    await crash(child);

    const bus = openBus();
    const log = subscribeRecorder(bus);
    bus.start();
    await log.waitFor('the message published before the crash', (l) => l.acked().length === 1);
    expect(log.deliveries[0]!.message).toMatchObject({
      id: published.id,
      data: { from: 'child' },
      orderingKey: 'k',
      deliveryAttempt: 1,
    });
  });
});
