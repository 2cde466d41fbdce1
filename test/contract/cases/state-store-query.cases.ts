import { describe, expect, it } from 'vitest';
import type { Json, Query, StateStore, WhereOp } from '../../../shared/ports/index.ts';
import {
  type OpenStateStore,
  type StateStoreContractOptions,
  useStateStore,
} from '../support/state-store-harness.ts';

/** Test data: one document per id, a mix of types so filters must respect them. */
const ITEMS: Record<string, Record<string, Json>> = {
  a: { rank: 2, name: 'alpha', status: 'open', active: true },
  b: { rank: 1, name: 'bravo', status: 'closed', active: false },
  c: { rank: 2, name: 'charlie', status: 'open', active: true },
  d: { rank: 3, name: 'delta', status: 'open', active: false, note: null },
  e: { rank: '3', name: 'echo', status: 'closed' },
  f: { name: 'foxtrot', status: 'open' },
};

/** Scores with ties and one document without a score; the expected ascending order, ties by id. */
const SCORES: Record<string, number | undefined> = {
  p1: 5,
  p2: 3,
  p3: 5,
  p4: 1,
  p5: 3,
  p6: 5,
  p7: 2,
  p8: undefined,
};
const BY_SCORE_ASC = ['p4', 'p7', 'p2', 'p5', 'p1', 'p3', 'p6'];

type Where = [string, WhereOp, Json];
const FILTERS: Array<{ name: string; where: Where[]; ids: string[] }> = [
  { name: 'number ==', where: [['rank', '==', 2]], ids: ['a', 'c'] },
  { name: 'number <', where: [['rank', '<', 2]], ids: ['b'] },
  { name: 'number <=', where: [['rank', '<=', 2]], ids: ['a', 'b', 'c'] },
  { name: 'number > (a string "3" does not match)', where: [['rank', '>', 2]], ids: ['d'] },
  { name: 'number >=', where: [['rank', '>=', 2]], ids: ['a', 'c', 'd'] },
  { name: 'string == (a number 3 does not match)', where: [['rank', '==', '3']], ids: ['e'] },
  { name: 'string in', where: [['status', 'in', ['closed', 'archived']]], ids: ['b', 'e'] },
  { name: 'number in', where: [['rank', 'in', [1, 3]]], ids: ['b', 'd'] },
  { name: 'boolean true', where: [['active', '==', true]], ids: ['a', 'c'] },
  { name: 'boolean false', where: [['active', '==', false]], ids: ['b', 'd'] },
  { name: 'null (a missing field does not match)', where: [['note', '==', null]], ids: ['d'] },
  {
    name: 'conditions are ANDed',
    where: [
      ['status', '==', 'open'],
      ['rank', '>=', 2],
    ],
    ids: ['a', 'c', 'd'],
  },
  { name: 'no match', where: [['name', '==', 'zulu']], ids: [] },
];

async function pageThrough(
  store: StateStore,
  collection: string,
  query: Query,
  size: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 0; page < 20; page++) {
    const docs = await store.query(collection, {
      ...query,
      limit: size,
      ...(ids.length ? { startAfterId: ids.at(-1) } : {}),
    });
    ids.push(...docs.map((d) => d.id));
    if (docs.length < size) return ids;
  }
  throw new Error('paging did not end');
}

export function stateStoreQueryCases(open: OpenStateStore, options: StateStoreContractOptions): void {
  const h = useStateStore(open);
  const ordering = options.unsupported?.queryOrdering;
  const nullFilter = options.unsupported?.nullFilter;
  const skipped = (reason: string | undefined) => (reason ? ` (skipped: ${reason})` : '');
  const seedItems = async () => {
    for (const [id, data] of Object.entries(ITEMS)) await h.store().set(h.collection('items'), id, data);
  };
  const seedScores = async () => {
    for (const [id, score] of Object.entries(SCORES)) {
      await h
        .store()
        .set(h.collection('scores'), id, score === undefined ? { label: id } : { score, label: id });
    }
  };

  describe('queries', () => {
    const filters = nullFilter ? FILTERS.filter((f) => !f.where.some(([, , v]) => v === null)) : FILTERS;
    it.each(filters)('filters: $name', async ({ where, ids }) => {
      await seedItems();
      const docs = await h.store().query(h.collection('items'), { where });
      expect(docs.map((d) => d.id).sort()).toEqual(ids);
      for (const doc of docs) expect(doc.data).toEqual(ITEMS[doc.id]);
    });

    it('counts the documents each filter matches, and the whole collection without one', async () => {
      await seedItems();
      await h.store().set(h.collection('other'), 'z', { status: 'open' });
      for (const { where, ids } of filters) {
        expect(await h.store().count(h.collection('items'), { where }), JSON.stringify(where)).toBe(
          ids.length,
        );
      }
      expect(await h.store().count(h.collection('items'))).toBe(Object.keys(ITEMS).length);
      expect(await h.store().count(h.collection('nothing-here'))).toBe(0);
      expect(await h.store().count(h.collection('items'), { where: [['status', 'in', []]] })).toBe(0);
    });

    it('returns every document of the collection, by id, with no query', async () => {
      await seedItems();
      await h.store().set(h.collection('other'), 'z', { status: 'open' });
      const docs = await h.store().query(h.collection('items'));
      expect(docs.map((d) => d.id)).toEqual(Object.keys(ITEMS));
      expect(docs[0]).toMatchObject({ id: 'a', version: expect.any(String) });
    });

    it.skipIf(ordering)(
      `orders ascending with ties broken by id, leaving out documents without the field${skipped(ordering)}`,
      async () => {
        await seedScores();
        const docs = await h.store().query(h.collection('scores'), { orderBy: { field: 'score' } });
        expect(docs.map((d) => d.id)).toEqual(BY_SCORE_ASC);
      },
    );

    it.skipIf(ordering)(`orders descending${skipped(ordering)}`, async () => {
      await seedScores();
      const docs = await h
        .store()
        .query(h.collection('scores'), { orderBy: { field: 'score', direction: 'desc' } });
      expect(docs.map((d) => d.id)).toEqual([...BY_SCORE_ASC].reverse());
    });

    it.skipIf(ordering).each([1, 2, 3, 10])(
      `pages with limit %i and startAfterId in both directions${skipped(ordering)}`,
      async (size) => {
        await seedScores();
        const c = h.collection('scores');
        expect(await pageThrough(h.store(), c, { orderBy: { field: 'score' } }, size)).toEqual(BY_SCORE_ASC);
        expect(
          await pageThrough(h.store(), c, { orderBy: { field: 'score', direction: 'desc' } }, size),
        ).toEqual([...BY_SCORE_ASC].reverse());
      },
    );

    it.skipIf(ordering)(
      `pages on from a cursor's (value, id) after its document was deleted${skipped(ordering)}`,
      async () => {
        await seedScores();
        const c = h.collection('scores');
        const store = h.store();
        for (const direction of ['asc', 'desc'] as const) {
          const order = direction === 'asc' ? BY_SCORE_ASC : [...BY_SCORE_ASC].reverse();
          const first = await store.query(c, { orderBy: { field: 'score', direction }, limit: 3 });
          const last = first.at(-1);
          if (!last) throw new Error('the first page is empty');
          expect(first.map((d) => d.id)).toEqual(order.slice(0, 3));
          // Without the value, an id naming no document is refused...
          await store.delete(c, last.id);
          await expect(
            store.query(c, { orderBy: { field: 'score', direction }, startAfterId: last.id }),
          ).rejects.toMatchObject({ code: 'bad_request' });
          // ...with it, the next page starts right after where the deleted document stood.
          const next = await store.query(c, {
            orderBy: { field: 'score', direction },
            startAfterId: last.id,
            startAfterValue: (last.data as { score: number }).score,
          });
          expect(next.map((d) => d.id)).toEqual(order.slice(3).filter((id) => id !== last.id));
          await store.set(c, last.id, last.data as Record<string, Json>);
        }
      },
    );

    it.skipIf(ordering)(`pages by id without an ordering field${skipped(ordering)}`, async () => {
      await seedScores();
      expect(await pageThrough(h.store(), h.collection('scores'), {}, 3)).toEqual(Object.keys(SCORES));
    });

    it.skipIf(ordering)(`combines a filter with an ordering and a limit${skipped(ordering)}`, async () => {
      await seedItems();
      const docs = await h.store().query(h.collection('items'), {
        where: [['status', '==', 'open']],
        orderBy: { field: 'rank', direction: 'desc' },
        limit: 2,
      });
      expect(docs.map((d) => d.id)).toEqual(['d', 'c']);
    });
  });
}
