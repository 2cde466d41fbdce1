import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StateStore } from '../../../shared/ports/index.ts';
import {
  type OpenStateStore,
  type StateStoreContractOptions,
  useStateStore,
} from '../support/state-store-harness.ts';

/**
 * How long a case gives a write started inside a transaction to land. Long enough for a round trip
 * to a local emulator; a write that has not landed by then is taken as held back. A store that does
 * not hold it back fails the pessimistic case; a slow machine can only make that case weaker, never
 * fail it.
 */
const LANDING_MS = 300;

async function increment(store: StateStore, collection: string, id: string): Promise<void> {
  await store.runTransaction(async (tx) => {
    const doc = await tx.get<{ n: number }>(collection, id);
    tx.set(collection, id, { n: (doc?.data.n ?? 0) + 1 });
  });
}

/** Whether `promise` settles within `ms` (it keeps running either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = promise.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, delay(ms).then(() => false)]);
}

/**
 * What a transaction's isolation guarantees. Every store: no update is lost, and the function's result
 * is what it committed. How a write to a document the transaction read is kept from slipping in
 * depends on the store's concurrency (see StateStoreContractOptions): an optimistic store runs the
 * function again, a pessimistic one makes the write wait for the commit. (So a transaction must never
 * wait for such a write itself: on a pessimistic store that deadlocks until the lock times out.)
 */
export function stateStoreIsolationCases(open: OpenStateStore, options: StateStoreContractOptions): void {
  const h = useStateStore(open);
  const unsupported = options.unsupported?.transactionIsolation;
  const suffix = unsupported ? ` (skipped: ${unsupported})` : '';

  describe(`transaction isolation (${options.concurrency})`, () => {
    it.skipIf(unsupported)(
      `two concurrent workers incrementing one counter lose no update${suffix}`,
      async () => {
        const c = h.collection();
        const perWorker = 10;
        const worker = async () => {
          for (let i = 0; i < perWorker; i++) await increment(h.store(), c, 'counter');
        };
        await Promise.all([worker(), worker()]);
        expect((await h.store().get(c, 'counter'))?.data).toEqual({ n: 2 * perWorker });
      },
    );

    it.skipIf(unsupported)(
      `a write racing a transaction is not lost, and the function returns what it committed${suffix}`,
      async () => {
        const c = h.collection();
        await h.store().set(c, 'counter', { n: 1 });
        let outside: Promise<string> | undefined;
        const result = await h.store().runTransaction(async (tx) => {
          const doc = await tx.get<{ n: number }>(c, 'counter');
          if (!outside) {
            // Not awaited by the function: a pessimistic store holds it until the commit.
            outside = h.store().set(c, 'counter', { n: 10 });
            await settlesWithin(outside, LANDING_MS);
          }
          const n = doc!.data.n + 1;
          tx.set(c, 'counter', { n });
          return n;
        });
        await outside;
        const final = (await h.store().get<{ n: number }>(c, 'counter'))?.data.n;
        // One of the two serial orders: the write then the transaction (which read 10), or the reverse.
        expect([
          { result: 11, final: 11 },
          { result: 2, final: 10 },
        ]).toContainEqual({ result, final });
      },
    );

    if (options.concurrency === 'optimistic') {
      it.skipIf(unsupported)(
        `a write between read and commit makes the function run again${suffix}`,
        async () => {
          const c = h.collection();
          await h.store().set(c, 'counter', { n: 1 });
          let runs = 0;
          await h.store().runTransaction(async (tx) => {
            runs++;
            const doc = await tx.get<{ n: number }>(c, 'counter');
            if (runs === 1) await h.store().set(c, 'counter', { n: 10 });
            tx.set(c, 'counter', { n: doc!.data.n + 1 });
          });
          expect(runs).toBe(2);
          expect((await h.store().get(c, 'counter'))?.data).toEqual({ n: 11 });
        },
      );
    } else {
      it.skipIf(unsupported)(
        `a write to a document the transaction read waits for the commit, then lands${suffix}`,
        async () => {
          const c = h.collection();
          await h.store().set(c, 'counter', { n: 1 });
          let runs = 0;
          let outside: Promise<string> | undefined;
          let landedBeforeCommit: boolean | undefined;
          const result = await h.store().runTransaction(async (tx) => {
            runs++;
            const doc = await tx.get<{ n: number }>(c, 'counter');
            outside ??= h.store().set(c, 'counter', { n: 10 });
            landedBeforeCommit ??= await settlesWithin(outside, LANDING_MS);
            tx.set(c, 'counter', { n: doc!.data.n + 1 });
            return doc!.data.n + 1;
          });
          const outsideVersion = await outside;
          expect({ landedBeforeCommit, runs, result }).toEqual({
            landedBeforeCommit: false,
            runs: 1,
            result: 2,
          });
          const final = await h.store().get<{ n: number }>(c, 'counter');
          expect(final).toMatchObject({ data: { n: 10 }, version: outsideVersion });
        },
      );
    }
  });
}
