import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../shared/adapters/local/index.ts';
import type { BusMessage } from '../../shared/ports/index.ts';
import { DeliveryLog } from '../contract/support/delivery-log.ts';
import { tempDir } from '../contract/support/temp-dir.ts';
import {
  type Child,
  crash,
  killGroup,
  nextEvent,
  processState,
  spawnBusChild,
  spawnUnreapedBusChild,
} from './support-child.ts';

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
  const groups: Child[] = [];
  afterEach(async () => {
    for (const group of groups.splice(0)) await killGroup(group);
    for (const child of children.splice(0)) await crash(child);
    for (const bus of buses.splice(0)) await bus.close();
    await dir.remove();
  });

  it('redelivers a message a killed process held, once, with deliveryAttempt 2', async () => {
    const publisher = openBus();
    const id = await publisher.publish('crash', { n: 1 }, { orderingKey: 'link-1' });

    const child = spawnBusChild(file, 'hang');
    children.push(child);
    expect(await nextEvent(child)).toMatchObject({ event: 'received', id, attempt: 1 });
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
  /** A held message, its holder killed with SIGKILL; the restarted bus must take it back at once. */
  async function expectRedeliveredAtOnce(id: string) {
    const restarted = openBus();
    const log = subscribeRecorder(restarted);
    restarted.start();
    await log.waitFor('the redelivery (the lease is 10 minutes)', (l) => l.acked().length === 1);
    expect(log.deliveries.map((d) => [d.message.id, d.message.deliveryAttempt])).toEqual([[id, 2]]);
  }

  it('redelivers at once when the killed holder is still present as a zombie', async () => {
    const publisher = openBus();
    const id = await publisher.publish('crash', { n: 1 }, { orderingKey: 'link-1' });
    const group = spawnUnreapedBusChild(file, 'hang');
    groups.push(group);
    const received = await nextEvent(group);
    expect(received).toMatchObject({ event: 'received', id });
    const pid = received.pid as number;
    process.kill(pid, 'SIGKILL');
    if (processState(pid) !== undefined) {
      await expect.poll(() => processState(pid), { timeout: 5_000 }).toBe('Z');
      expect(() => process.kill(pid, 0)).not.toThrow(); // the PID still looks alive
    }
    await expectRedeliveredAtOnce(id);
  });

  it('redelivers at once when the dead holder’s PID is now the restarted process’s own', async () => {
    const publisher = openBus();
    const id = await publisher.publish('crash', { n: 1 }, { orderingKey: 'link-1' });
    const child = spawnBusChild(file, 'hang');
    children.push(child);
    expect(await nextEvent(child)).toMatchObject({ event: 'received', id });
    await crash(child);
    // As in a container restarted after a crash, where the server is PID 1 both times.
    const db = new DatabaseSync(file);
    db.prepare('UPDATE bus_messages SET lease_pid = ? WHERE id = ?').run(process.pid, id);
    db.close();
    await expectRedeliveredAtOnce(id);
  });

  it('leaves alone a message held by another live process on the same data dir, until it dies', async () => {
    const publisher = openBus();
    const id = await publisher.publish('crash', { n: 1 }, { orderingKey: 'link-1' });
    const child = spawnBusChild(file, 'hang');
    children.push(child);
    expect(await nextEvent(child)).toMatchObject({ event: 'received', id });

    const second = openBus();
    const log = subscribeRecorder(second);
    second.start();
    await second.idle();
    expect(log.deliveries).toEqual([]);
    expect(await second.stats()).toMatchObject({ inFlight: 1, pending: 0 });

    // When that process dies later, the running instance notices on its next poll, not a lease later.
    await crash(child);
    await log.waitFor('the redelivery after the holder died', (l) => l.acked().length === 1);
    expect(log.deliveries.map((d) => [d.message.id, d.message.deliveryAttempt])).toEqual([[id, 2]]);
  });
  it('a holder from before instance locks (no lock file) is judged by its PID: dead is released, alive is left', async () => {
    const publisher = openBus();
    const live = await publisher.publish('crash', { n: 1 }, { orderingKey: 'alive' });
    const child = spawnBusChild(file, 'hang');
    children.push(child);
    expect(await nextEvent(child)).toMatchObject({ event: 'received', id: live });
    for (const name of readdirSync(`${file}.instances`)) rmSync(join(`${file}.instances`, name));
    // A lease of a process that has exited (and been reaped), written as an older version did.
    const exited = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await once(exited, 'exit');
    const dead = await publisher.publish('other', { n: 2 });
    const db = new DatabaseSync(file);
    db.prepare(
      `UPDATE bus_messages SET lease_until = ?, lease_owner = 'legacy-holder', lease_pid = ?, lease_host = ?,
         attempts = 1 WHERE id = ?`,
    ).run(Date.now() + 600_000, exited.pid ?? 0, hostname(), dead);
    db.close();

    const restarted = openBus();
    const log = subscribeRecorder(restarted);
    restarted.subscribe('other', async (message: BusMessage) => {
      log.finished(log.started(message), 'acked');
    });
    restarted.start();
    await log.waitFor('the dead holder’s message', (l) => l.acked().length === 1);
    await restarted.idle();
    expect(log.ids()).toEqual([dead]);
  });
});
