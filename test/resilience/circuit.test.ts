import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeadLetter } from '../../shared/ports/index.ts';
import type { Operation } from '../../shared/records/index.ts';
import { type ResilienceStatus, WriteWindow } from '../../shared/resilience/index.ts';
import { assertEveryEditAccounted } from './support/invariant.ts';
import { eventually, type ResilientBridge, startResilientBridge } from './support/resilient-bridge.ts';
import { applyEdits, finished, linkOf, TWO_SIDED_EDITS } from './support/scenario.ts';
import { startWorld, type World } from './support/world.ts';

const TREE_READ = { method: 'GET', path: /\/git\/trees\// };

interface Health {
  providers: ResilienceStatus;
}

describe('circuit breaker and giving up, seen through the API', () => {
  let world: World;
  let bridge: ResilientBridge;

  afterEach(async () => {
    vi.restoreAllMocks();
    await bridge.close();
    await world.close();
  });

  const health = async () => (await bridge.api<Health>('GET', '/api/v1/health')).body.providers;
  const githubCircuit = async () => (await health()).circuits.find((c) => c.name.startsWith('github:'));
  const treeReads = () =>
    world.github.requests.filter((r) => r.method === 'GET' && /\/git\/trees\//.test(r.path)).length;

  it('opens after repeated failures, rejects without calling GitHub, says so in health, then half-opens and closes', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    world = await startWorld();
    bridge = await startResilientBridge(world, {
      retry: { maxAttempts: 50, minBackoffMs: 10, maxBackoffMs: 40 },
      resilience: { failureThreshold: 3, cooldownMs: 60_000, now: () => t },
    });
    const link = await bridge.createLink();
    applyEdits(world, TWO_SIDED_EDITS);
    const readsBefore = treeReads();
    const outage = world.github.injectFault({ ...TREE_READ, status: 502, times: Number.POSITIVE_INFINITY });
    const opId = await bridge.queueSync(link.id);

    const open = await eventually('the GitHub circuit to open', async () => {
      const c = await githubCircuit();
      return c?.phase === 'open' ? c : undefined;
    });
    expect(open).toMatchObject({ consecutiveFailures: 3, openUntil: new Date(t + 60_000).toISOString() });
    const readsWhenOpened = treeReads();
    // Each attempt made 1 + 2 client retries: bounded, then the message was nacked.
    expect(readsWhenOpened - readsBefore).toBe(3 * 3);
    await eventually('redeliveries rejected by the open circuit', async () =>
      ((await githubCircuit())?.rejected ?? 0) >= 3 ? true : undefined,
    );
    expect(treeReads()).toBe(readsWhenOpened);
    const waiting = (await health()).waitingFor;
    expect(waiting.join('\n')).toMatch(
      /github:127\.0\.0\.1:\d+\/token: circuit open until 2026-01-01T00:01:00\.000Z after upstream_failed/,
    );
    // Between attempts the run waits for its redelivery, each failed attempt on record.
    const waitingOp = await bridge.operation(opId);
    expect(['queued', 'running']).toContain(waitingOp.status);
    expect(
      waitingOp.attempts.filter((a) => a.error?.code === 'upstream_failed').length,
    ).toBeGreaterThanOrEqual(3);

    outage.cancel();
    t += 60_000;
    const op = await finished(bridge, opId);
    expect(op.status).toBe('succeeded');
    expect(await githubCircuit()).toMatchObject({ phase: 'closed', consecutiveFailures: 0 });
    expect((await health()).waitingFor).toEqual([]);
    await assertEveryEditAccounted(world, bridge, link.id, TWO_SIDED_EDITS);
    expect(world.bridgeCommits()).toHaveLength(1);
  });

  it('a sync that gives up is nacked to the dead letters, never acked with work undone; a replay finishes it', async () => {
    world = await startWorld();
    bridge = await startResilientBridge(world, {
      retry: { maxAttempts: 3, minBackoffMs: 10, maxBackoffMs: 20 },
      resilience: { failureThreshold: 100 },
    });
    const link = await bridge.createLink();
    applyEdits(world, TWO_SIDED_EDITS);
    const outage = world.github.injectFault({ ...TREE_READ, status: 503, times: Number.POSITIVE_INFINITY });
    const opId = await bridge.queueSync(link.id);
    const dead = await eventually('the request to be dead-lettered', async () => {
      const items = (await bridge.api<{ items: DeadLetter[] }>('GET', '/api/v1/dead-letters')).body.items;
      return items.length > 0 ? items : undefined;
    });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ attempts: 3, message: { data: { linkId: link.id, operationId: opId } } });
    expect(dead[0]?.lastError).toMatch(/unavailable|503/i);
    // The operation says it gave up (so `bridge sync --wait` ends), and the link shows the error.
    const op = await bridge.operation(opId);
    expect(op).toMatchObject({ status: 'failed', gaveUp: true, error: { code: 'unavailable' } });
    expect(op.progress.at(-1)?.step).toMatch(/gave up on the last attempt \(unavailable\)/);
    const shown = (
      await bridge.api<{ status: string; lastSync?: { result: string } }>('GET', `/api/v1/links/${link.id}`)
    ).body;
    expect(shown).toMatchObject({ status: 'error', lastSync: { result: 'failed' } });
    expect(world.bridgeCommits()).toHaveLength(0);

    // Each of the three deliveries is in the record, with its error and time.
    expect(op.attempts).toHaveLength(3);
    expect(op.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    for (const a of op.attempts) {
      expect(a.error?.code).toBe('unavailable');
      expect(Date.parse(a.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(a.startedAt));
    }

    outage.cancel();
    expect((await bridge.api('POST', `/api/v1/dead-letters/${dead[0]!.id}/replay`)).status).toBe(202);
    const history = async () =>
      (await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations?pageSize=50`))
        .body.items;
    const replayed = await eventually('the replayed run to finish', async () =>
      (await history()).find((o) => o.replayOf === opId && o.status === 'succeeded'),
    );
    expect(replayed).toMatchObject({
      outcome: 'synced',
      attempts: [expect.objectContaining({ attempt: 1 })],
    });
    expect(replayed.error).toBeUndefined();
    // The replay added to the history: the run that gave up is still there, as it was.
    expect(await bridge.operation(opId)).toEqual(op);
    expect(await linkOf(bridge, link.id)).toMatchObject({
      status: 'synced',
      lastSync: { operationId: replayed.id, result: 'synced' },
    });
    await assertEveryEditAccounted(world, bridge, link.id, TWO_SIDED_EDITS);
    expect(world.bridgeCommits()).toHaveLength(1);
  });

  it('GitHub writes through the real provider never exceed the per-installation window (virtual clock)', async () => {
    let t = 0;
    const starts: number[] = [];
    const acquire = WriteWindow.prototype.acquire;
    vi.spyOn(WriteWindow.prototype, 'acquire').mockImplementation(async function (this: WriteWindow) {
      await acquire.call(this);
      starts.push(t);
    });
    world = await startWorld();
    bridge = await startResilientBridge(world, {
      resilience: {
        githubWritesPerMinute: 4,
        now: () => t,
        sleep: async (ms) => {
          t += ms;
        },
      },
    });
    const link = await bridge.createLink();
    for (const version of ['2.0.1', '2.0.2', '2.0.3', '2.0.4']) {
      world.editDesign('core', 'version', version);
      expect(await finished(bridge, await bridge.queueSync(link.id))).toMatchObject({ outcome: 'synced' });
    }
    const writes = world.github.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql');
    // The repository webhook created with the link, then tree, commit, ref per sync.
    expect(writes.filter((r) => r.path.endsWith('/hooks'))).toHaveLength(1);
    expect(writes.length).toBe(1 + 4 * 3);
    expect(starts).toHaveLength(writes.length);
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((s) => s >= starts[i]! && s < starts[i]! + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(4);
    }
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(2 * 60_000);
    expect(world.definitions().get('core')?.version).toBe('2.0.4');
  });
});
