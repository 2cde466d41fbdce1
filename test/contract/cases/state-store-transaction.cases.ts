import { describe, expect, it } from 'vitest';
import { errorCode, type OpenStateStore, useStateStore } from '../support/state-store-harness.ts';

export function stateStoreTransactionCases(open: OpenStateStore): void {
  const h = useStateStore(open);

  describe('transactions', () => {
    it('commits reads and writes together and returns the function result', async () => {
      const c = h.collection();
      await h.store().set(c, 'counter', { n: 1 });
      await h.store().set(c, 'gone', { n: 0 });
      const result = await h.store().runTransaction(async (tx) => {
        const counter = await tx.get<{ n: number }>(c, 'counter');
        const missing = await tx.get(c, 'log');
        expect(missing).toBeUndefined();
        tx.update(c, 'counter', { n: counter!.data.n + 1 }, { ifVersion: counter!.version });
        tx.create(c, 'log', { entry: 'incremented' });
        tx.delete(c, 'gone');
        return 'done';
      });
      expect(result).toBe('done');
      expect((await h.store().get(c, 'counter'))?.data).toEqual({ n: 2 });
      expect((await h.store().get(c, 'log'))?.data).toEqual({ entry: 'incremented' });
      expect(await h.store().get(c, 'gone')).toBeUndefined();
    });

    it('applies nothing when the function throws, and passes the error on', async () => {
      const c = h.collection();
      await h.store().set(c, 'a', { n: 1 });
      const failure = new Error('changed my mind');
      await expect(
        h.store().runTransaction(async (tx) => {
          await tx.get(c, 'a');
          tx.set(c, 'a', { n: 2 });
          tx.create(c, 'b', { n: 1 });
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect((await h.store().get(c, 'a'))?.data).toEqual({ n: 1 });
      expect(await h.store().get(c, 'b')).toBeUndefined();
    });

    it.each([
      { name: 'update with a stale ifVersion', code: 'precondition_failed', stale: true, op: 'update' },
      { name: 'delete with a stale ifVersion', code: 'precondition_failed', stale: true, op: 'delete' },
      { name: 'create of an existing id', code: 'conflict', stale: false, op: 'create' },
      { name: 'update of a missing document', code: 'not_found', stale: false, op: 'update-missing' },
    ])('fails with $code on $name and applies none of its writes', async ({ code, stale, op }) => {
      const c = h.collection();
      const old = await h.store().set(c, 'target', { n: 1 });
      const current = stale ? await h.store().set(c, 'target', { n: 2 }) : old;
      const outcome = await errorCode(() =>
        h.store().runTransaction(async (tx) => {
          tx.set(c, 'side-effect', { written: true });
          if (op === 'update') tx.update(c, 'target', { n: 3 }, { ifVersion: old });
          if (op === 'delete') tx.delete(c, 'target', { ifVersion: old });
          if (op === 'create') tx.create(c, 'target', { n: 3 });
          if (op === 'update-missing') tx.update(c, 'missing', { n: 3 });
        }),
      );
      expect(outcome).toBe(code);
      expect(await h.store().get(c, 'side-effect')).toBeUndefined();
      expect((await h.store().get(c, 'target'))?.version).toBe(current);
    });

    it('keeps expireAt set inside a transaction', async () => {
      const c = h.collection();
      const expireAt = new Date('2031-01-02T03:04:05.000Z');
      await h.store().runTransaction(async (tx) => {
        tx.create(c, 'marker', { seen: true }, { expireAt });
      });
      expect((await h.store().get(c, 'marker'))?.expireAt).toBe(expireAt.toISOString());
    });
  });
}
