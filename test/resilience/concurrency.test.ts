import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors/index.ts';
import { runSync } from '../../shared/sync/run-sync.ts';
import { type AcceptedEdit, assertEveryEditAccounted } from './support/invariant.ts';
import { eventually, type ResilientBridge, startResilientBridge } from './support/resilient-bridge.ts';
import { applyEdits, finished } from './support/scenario.ts';
import { startWorld, type World } from './support/world.ts';

const ROUNDS: ReadonlyArray<readonly AcceptedEdit[]> = [
  [
    { side: 'design', serviceId: 'core', field: 'version', value: '2.3.0' },
    { side: 'definitions', serviceId: 'auth', field: 'version', value: '1.4.0' },
  ],
  [{ side: 'design', serviceId: 'persistence', field: 'version', value: '1.9.0' }],
  [{ side: 'definitions', serviceId: 'core', field: 'status', value: 'deprecated' }],
];

describe('two workers on one link (two bridges on the same SQLite file)', () => {
  let world: World;
  let a: ResilientBridge;
  let b: ResilientBridge;

  afterEach(async () => {
    await b.close();
    await a.close();
    await world.close();
  });

  it('each round: exactly one wins, the other fails with conflict and no-ops on its retry, or no-ops at once; one commit per round', async () => {
    world = await startWorld();
    a = await startResilientBridge(world);
    b = await startResilientBridge(world, { dir: a.dir });
    const link = await a.createLink();
    const accepted: AcceptedEdit[] = [];
    let commitsExpected = 0;
    for (const round of ROUNDS) {
      applyEdits(world, round);
      accepted.push(...round);
      if (round.some((e) => e.side === 'design')) commitsExpected += 1;
      // Both read before either writes: the reads are held until both have asked.
      world.github.injectFault({ method: 'GET', path: /\/git\/trees\//, delayMs: 100, times: 2 });
      const options = { trigger: 'api', direction: 'both' as const, dryRun: false };
      const results = await Promise.allSettled([
        runSync(a.ctx, link.id, options),
        runSync(b.ctx, link.id, options),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled' && r.value?.outcome === 'synced');
      expect(won).toHaveLength(1);
      const loser = results.findIndex((r) => !(r.status === 'fulfilled' && r.value?.outcome === 'synced'));
      const lost = results[loser]!;
      if (lost.status === 'rejected') {
        // Lost the ref update or the state commit: the message is nacked; its redelivery no-ops.
        expect(isAppError(lost.reason) && lost.reason.code).toBe('conflict');
        const retried = await runSync(loser === 0 ? a.ctx : b.ctx, link.id, options);
        expect(retried).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
      } else {
        // Lost the conditional Drive write: merged again, found the sides agreeing, wrote nothing.
        expect(lost.value).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
      }
      expect(world.bridgeCommits()).toHaveLength(commitsExpected);
      await assertEveryEditAccounted(world, a, link.id, accepted);
    }
  });

  it('syncs queued through both processes at once converge with one commit', async () => {
    world = await startWorld();
    a = await startResilientBridge(world);
    b = await startResilientBridge(world, { dir: a.dir });
    const link = await a.createLink();
    const edits = ROUNDS[0]!;
    applyEdits(world, edits);
    const ops = await Promise.all([
      a.queueSync(link.id),
      b.queueSync(link.id),
      a.queueSync(link.id),
      b.queueSync(link.id),
    ]);
    const results = await Promise.all(ops.map((id) => finished(a, id)));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(results.filter((r) => r.outcome === 'synced')).toHaveLength(1);
    await eventually('both buses idle', async () => {
      const s = await a.ctx.bus?.stats();
      return s && s.pending === 0 && s.inFlight === 0 ? s : undefined;
    });
    expect(world.bridgeCommits()).toHaveLength(1);
    await assertEveryEditAccounted(world, b, link.id, edits);
  });
});
