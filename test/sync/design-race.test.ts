import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import type { StateStore, TransactionOps } from '../../shared/ports/index.ts';
import { COLLECTIONS, type Operation } from '../../shared/records/index.ts';
import { runSync } from '../../shared/sync/run-sync.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { component, createLocalLink } from './support.ts';

/**
 * The next transaction that updates the link fails as the state store fails a write whose
 * precondition no longer holds (the Firestore adapter maps FAILED_PRECONDITION to this code).
 */
function failNextLinkUpdate(state: StateStore): void {
  const original = state.runTransaction.bind(state);
  let armed = true;
  state.runTransaction = <R>(fn: (tx: TransactionOps) => Promise<R>): Promise<R> =>
    original((tx) => {
      const guarded: TransactionOps = {
        ...tx,
        get: tx.get.bind(tx),
        create: tx.create.bind(tx),
        set: tx.set.bind(tx),
        delete: tx.delete.bind(tx),
        update(collection, id, data, options) {
          if (armed && collection === COLLECTIONS.links && options?.ifVersion !== undefined) {
            armed = false;
            throw new AppError('precondition_failed', `Document ${collection}/${id} is not at version`);
          }
          tx.update(collection, id, data, options);
        },
      };
      return fn(guarded);
    });
}

describe('a sync that races', () => {
  let bridge: TestBridge;
  beforeEach(async () => {
    bridge = await startTestBridge();
  });
  afterEach(async () => {
    await bridge.close();
  });

  it('takes a state-store version conflict for what it is: retried later, not merged again as a design change', async () => {
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    component(design, 'core').version = '9.9.9';
    await link.writeDesign(design);
    failNextLinkUpdate(bridge.ctx.state);

    const run = runSync(bridge.ctx, link.id, {
      trigger: 'api',
      direction: 'both',
      dryRun: false,
      messageId: 'race-1',
    });

    await expect(run).rejects.toMatchObject({ code: 'precondition_failed', retryable: true });
    const ops = await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations`);
    const op = ops.body.items.find((o) => o.trigger === 'api' && o.attempts?.length);
    const steps = op?.progress.map((p) => p.step) ?? [];
    expect(steps).not.toContain('design changed meanwhile; merging again');
    expect(steps.filter((s) => s === 'read both sides')).toHaveLength(1);
    expect(op?.attempts?.at(-1)).toMatchObject({ error: { code: 'precondition_failed' } });
  });
});
