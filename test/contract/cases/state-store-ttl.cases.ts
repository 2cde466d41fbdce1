import { describe, expect, it } from 'vitest';
import {
  type OpenStateStore,
  type StateStoreContractOptions,
  useStateStore,
} from '../support/state-store-harness.ts';

export function stateStoreTtlCases(open: OpenStateStore, options: StateStoreContractOptions): void {
  const h = useStateStore(open);
  const reason = options.unsupported?.ttlPurge;
  const now = new Date('2030-06-01T12:00:00.000Z');
  const minutes = (m: number) => new Date(now.getTime() + m * 60_000);

  describe('TTL', () => {
    it('returns expireAt as an ISO instant and clears it when a write sets none', async () => {
      const c = h.collection();
      await h.store().set(c, 'a', { n: 1 }, { expireAt: minutes(5) });
      expect((await h.store().get(c, 'a'))?.expireAt).toBe(minutes(5).toISOString());
      await h.store().set(c, 'a', { n: 2 });
      expect((await h.store().get(c, 'a'))?.expireAt).toBeUndefined();
    });

    it.skipIf(reason)(
      `purges only expired documents of one collection${reason ? ` (skipped: ${reason})` : ''}`,
      async () => {
        const c = h.collection();
        const other = h.collection('other');
        await h.store().create(c, 'expired-long-ago', { n: 1 }, { expireAt: minutes(-60) });
        await h.store().set(c, 'expired', { n: 2 }, { expireAt: minutes(-1) });
        await h.store().set(c, 'later', { n: 3 }, { expireAt: minutes(1) });
        await h.store().set(c, 'forever', { n: 4 });
        await h.store().set(other, 'expired-elsewhere', { n: 5 }, { expireAt: minutes(-1) });

        expect(await h.store().purgeExpired(c, now)).toBe(2);
        const left = await h.store().query(c);
        expect(left.map((d) => d.id).sort()).toEqual(['forever', 'later']);
        expect(await h.store().get(other, 'expired-elsewhere')).toBeDefined();
        expect(await h.store().purgeExpired(c, now)).toBe(0);
      },
    );
  });
}
