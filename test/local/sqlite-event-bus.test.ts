import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BusQueue } from '../../shared/adapters/local/bus-queue.ts';
import type { GroupCommit } from '../../shared/adapters/local/group-commit.ts';
import {
  SqliteEventBus,
  type SqliteEventBusOptions,
  SqliteStateStore,
} from '../../shared/adapters/local/index.ts';
import { openSqliteDatabase } from '../../shared/adapters/local/sqlite-database.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { MAX_MESSAGE_BYTES } from '../../shared/ports/index.ts';
import { DeliveryLog, gate } from '../contract/support/delivery-log.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

describe('SQLite event bus specifics', () => {
  let dir: { path: string; remove: () => Promise<void> };
  const buses: SqliteEventBus[] = [];
  const open = (options: Partial<SqliteEventBusOptions> = {}) => {
    const bus = new SqliteEventBus({
      file: join(dir.path, 'bus.sqlite'),
      retry: { maxAttempts: 3, minBackoffMs: 10, maxBackoffMs: 10 },
      ...options,
    });
    buses.push(bus);
    return bus;
  };

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close();
    await dir.remove();
  });

  it('runs at most `concurrency` handlers at once', async () => {
    const bus = open({ concurrency: 2 });
    const log = new DeliveryLog();
    const release = gate();
    let active = 0;
    let peak = 0;
    bus.subscribe('t', async (m) => {
      const d = log.started(m);
      peak = Math.max(peak, ++active);
      await release.promise;
      active--;
      log.finished(d, 'acked');
    });
    bus.start();
    for (let n = 0; n < 5; n++) await bus.publish('t', { n });
    await log.waitFor('two deliveries', (l) => l.deliveries.length === 2);
    expect(await bus.stats()).toMatchObject({ inFlight: 2, pending: 3 });
    release.open();
    await log.waitFor('all five', (l) => l.acked().length === 5);
    expect(peak).toBe(2);
  });

  it('calls every handler of a topic and retries the message when one of them fails', async () => {
    const bus = open();
    const seen: string[] = [];
    const log = new DeliveryLog();
    bus.subscribe('t', async (m) => {
      seen.push(`first:${m.deliveryAttempt}/${m.maxDeliveryAttempts}`);
    });
    bus.subscribe('t', async (m) => {
      seen.push(`second:${m.deliveryAttempt}`);
      const d = log.started(m);
      log.finished(d, m.deliveryAttempt === 1 ? 'failed' : 'acked');
      if (m.deliveryAttempt === 1) throw new Error('second handler failed');
    });
    bus.start();
    await bus.publish('t', {});
    await log.waitFor('the second attempt to succeed', (l) => l.acked().length === 1);
    await bus.idle();
    // Handlers learn the policy's last attempt (3 here) to tell "will retry" from "gave up".
    expect(seen).toEqual(['first:1/3', 'second:1', 'first:2/3', 'second:2']);
  });

  it('dead-letters a message whose lease ran out after its last attempt instead of delivering it again', async () => {
    const first = open({ retry: { maxAttempts: 1, minBackoffMs: 10, maxBackoffMs: 10 }, leaseMs: 50 });
    const stuck = new DeliveryLog();
    const release = gate();
    first.subscribe('t', async (m) => {
      stuck.started(m);
      await release.promise;
    });
    first.start();
    const id = await first.publish('t', { n: 1 }, { orderingKey: 'k' });
    await stuck.waitFor('the first delivery', (l) => l.deliveries.length === 1);
    await first.stop(0);
    release.open();

    // No polling fallback: the dispatcher itself must notice the expired lease and the unblocked key.
    const second = open({
      retry: { maxAttempts: 1, minBackoffMs: 10, maxBackoffMs: 10 },
      leaseMs: 50,
      pollIntervalMs: 600_000,
    });
    const log = new DeliveryLog();
    second.subscribe('t', async (m) => {
      log.finished(log.started(m), 'acked');
    });
    const next = await second.publish('t', { n: 2 }, { orderingKey: 'k' });
    second.start();
    await log.waitFor('the message queued behind it', (l) => l.acked().length === 1);
    expect(log.ids()).toEqual([next]);
    expect(await second.listDeadLetters()).toMatchObject([
      { id, attempts: 1, lastError: expect.stringMatching(/lease/i) },
    ]);
  });

  it('publishIfCreated writes the document and the message together, or neither', async () => {
    const file = join(dir.path, 'bus.sqlite');
    const bus = open();
    const state = new SqliteStateStore({ file });
    const record = (n: number) => ({
      collection: 'c',
      id: 'd',
      data: (messageId: string) => ({ n, messageId }),
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    try {
      // The message cannot be stored (not JSON): the document is rolled back with it.
      await expect(bus.publishIfCreated(record(0), 't', cyclic)).rejects.toThrow();
      expect(await state.get('c', 'd')).toBeUndefined();

      const id = await bus.publishIfCreated(record(1), 't', { n: 1 });
      expect(await state.get('c', 'd')).toMatchObject({ data: { n: 1, messageId: id } });
      // The document exists: nothing is published and it is left as it was.
      expect(await bus.publishIfCreated(record(2), 't', { n: 2 })).toBeUndefined();
      expect(await state.get('c', 'd')).toMatchObject({ data: { n: 1, messageId: id } });

      const log = new DeliveryLog();
      bus.subscribe('t', async (m) => {
        log.finished(log.started(m), 'acked');
      });
      bus.start();
      await log.waitFor('the delivery', (l) => l.acked().length === 1);
      await bus.idle();
      expect(log.deliveries.map((d) => [d.message.id, d.message.data])).toEqual([[id, { n: 1 }]]);
    } finally {
      await state.close();
    }
  });

  it('refuses a message over the bus’s cap (under Pub/Sub’s 10 MB), as the GCP bus does, and stores nothing of it', async () => {
    const file = join(dir.path, 'bus.sqlite');
    const bus = open();
    const state = new SqliteStateStore({ file });
    const big = 'é'.repeat(MAX_MESSAGE_BYTES / 2); // 2 bytes each in UTF-8: just over with the quotes
    try {
      await expect(bus.publish('t', big)).rejects.toMatchObject({ code: 'payload_too_large' });
      await expect(
        bus.publishIfCreated({ collection: 'c', id: 'd', data: () => ({}) }, 't', big),
      ).rejects.toMatchObject({ code: 'payload_too_large', message: expect.stringContaining('topic t') });
      // Attributes count too.
      await expect(
        bus.publish('t', 'x'.repeat(MAX_MESSAGE_BYTES - 100), { attributes: { k: 'v'.repeat(200) } }),
      ).rejects.toMatchObject({ code: 'payload_too_large' });
      expect(await state.get('c', 'd')).toBeUndefined();
      expect(await bus.stats()).toMatchObject({ pending: 0, dead: 0 });
      // In one group commit with a good one: only the oversized one's document is rolled back.
      const [good, bad] = await Promise.allSettled([
        bus.publishIfCreated({ collection: 'c', id: 'good', data: () => ({}) }, 't', { small: true }),
        bus.publishIfCreated({ collection: 'c', id: 'bad', data: () => ({}) }, 't', big),
      ]);
      expect(good.status).toBe('fulfilled');
      expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'payload_too_large' } });
      expect(await state.get('c', 'good')).toBeDefined();
      expect(await state.get('c', 'bad')).toBeUndefined();
      expect(await bus.stats()).toMatchObject({ pending: 1 });
      // Right at the limit it is a message like any other.
      await bus.publish('t', 'x'.repeat(MAX_MESSAGE_BYTES - 2));
      expect(await bus.stats()).toMatchObject({ pending: 2 });
    } finally {
      await state.close();
    }
  });

  it('treats an empty ordering key as none', async () => {
    const bus = open();
    const log = new DeliveryLog();
    bus.subscribe('t', async (m) => {
      log.finished(log.started(m), 'acked');
    });
    bus.start();
    await bus.publish('t', {}, { orderingKey: '' });
    await log.waitFor('the delivery', (l) => l.acked().length === 1);
    expect(log.deliveries[0]!.message.orderingKey).toBeUndefined();
  });

  it('a claim given back (stopped before delivering) leaves the message deliverable, its attempt uncounted', async () => {
    const db = openSqliteDatabase(join(dir.path, 'queue.sqlite'));
    try {
      const queue = new BusQueue(db, () => new Date());
      const holder = { owner: 'me', pid: process.pid, host: 'here' };
      const claim = () =>
        queue.claim({
          acked: [],
          topics: ['t'],
          busy: [],
          limit: 4,
          holder,
          leaseMs: 60_000,
          maxAttempts: 5,
        });
      const id = queue.insert('t', { n: 1 }, { orderingKey: 'k' });
      expect(claim().claimed.map((r) => [r.id, r.attempts])).toEqual([[id, 1]]);
      expect(claim().claimed).toEqual([]); // leased
      queue.unclaim([id], 'someone-else');
      expect(claim().claimed).toEqual([]); // only the holder can give it back
      queue.unclaim([id], 'me');
      expect(claim().claimed.map((r) => [r.id, r.attempts])).toEqual([[id, 1]]);
    } finally {
      db.close();
    }
  });

  it('stop() waits for a claim still waiting on the group commit, so its acknowledgements are written', async () => {
    const lines: string[] = [];
    const bus = open({ logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }) });
    // Hold every claim after the first until released, as a claim joined to a pending group commit is.
    const group = (bus as unknown as { group: GroupCommit }).group;
    const real = group.runNowOrJoin.bind(group);
    const held: Array<() => void> = [];
    let calls = 0;
    group.runNowOrJoin = <T>(op: () => T) => {
      calls += 1;
      if (calls === 1) return real(op);
      return new Promise<T>((resolve, reject) => {
        held.push(() => real(op).then(resolve, reject));
      });
    };
    const log = new DeliveryLog();
    bus.subscribe('t', async (m) => {
      log.finished(log.started(m), 'acked');
    });
    bus.start();
    await bus.publish('t', { n: 1 });
    await log.waitFor('the delivery', (l) => l.acked().length === 1);
    // The next pass: its claim, carrying the acknowledgement, is held.
    for (let turn = 0; turn < 20 && held.length === 0; turn++) await new Promise((r) => setImmediate(r));
    expect(held.length).toBeGreaterThan(0);

    let stopped = false;
    const stopping = bus.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false); // still waiting for the held claim
    for (const release of held.splice(0)) release();
    await stopping;
    expect(await bus.stats()).toMatchObject({ pending: 0, inFlight: 0 });
    expect(lines.join('\n')).not.toContain('still running');
  });
});
