import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import type { StateStore } from '../../shared/ports/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { assertEveryEditAccounted } from './support/invariant.ts';
import { type ResilientBridge, startResilientBridge } from './support/resilient-bridge.ts';
import { applyEdits, finished, linkOf, TWO_SIDED_EDITS } from './support/scenario.ts';
import { REPO, startWorld, type World } from './support/world.ts';

/**
 * Makes the next `times` transactions that record a sync's result (they write the link's base)
 * fail as a store outage would: the whole transaction is refused, nothing of it is written.
 */
function failStateCommits(state: StateStore, times: number): { failed: () => number } {
  let failed = 0;
  const run = state.runTransaction.bind(state);
  state.runTransaction = (fn) =>
    run(async (tx) => {
      let recordsSync = false;
      const set: typeof tx.set = (collection, ...rest) => {
        if (collection === COLLECTIONS.bases) recordsSync = true;
        tx.set(collection, ...rest);
      };
      const result = await fn({ ...tx, get: tx.get.bind(tx), set });
      if (recordsSync && failed < times) {
        failed += 1;
        throw new AppError('unavailable', 'injected: the state store refused the commit');
      }
      return result;
    });
  return { failed: () => failed };
}

describe('a run is recorded as done only when its last write is durable', () => {
  let world: World;
  let bridge: ResilientBridge;
  afterEach(async () => {
    await bridge.close();
    await world.close();
  });

  it('a failed final state write is retried like any failure, and the link then shows the run', async () => {
    world = await startWorld();
    bridge = await startResilientBridge(world, {
      retry: { maxAttempts: 5, minBackoffMs: 10, maxBackoffMs: 20 },
    });
    const link = await bridge.createLink();
    applyEdits(world, TWO_SIDED_EDITS);
    const fault = failStateCommits(bridge.ctx.state, 1);
    const opId = await bridge.queueSync(link.id);
    const op = await finished(bridge, opId);
    await bridge.idle();

    expect(fault.failed()).toBe(1);
    expect(op.status).toBe('succeeded');
    expect(op.attempts).toHaveLength(2);
    expect(op.attempts[0]?.error).toEqual({
      code: 'unavailable',
      message: 'injected: the state store refused the commit',
    });
    expect(op.attempts[1]?.error).toBeUndefined();
    // The retry recorded what the first attempt had written: base, positions and lastSync.
    const shown = await linkOf(bridge, link.id);
    expect(shown).toMatchObject({ status: 'synced', lastSync: { operationId: opId } });
    expect(shown.positions.headSha).toBe(world.github.repo(REPO).head('main'));
    await assertEveryEditAccounted(world, bridge, link.id, TWO_SIDED_EDITS);
    expect(world.bridgeCommits()).toHaveLength(1);
  });
});
