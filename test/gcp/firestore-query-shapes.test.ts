import { describe, expect, it } from 'vitest';
import type { Query } from '../../shared/ports/index.ts';
import { type CompositeIndex, needsIndex, serves, shapeOf } from './support/firestore-query-shapes.ts';

const index = (...fields: Array<[string, 'ASCENDING' | 'DESCENDING']>): CompositeIndex => ({
  name: 'i',
  collection: 'c',
  fields: fields.map(([field, direction]) => ({ field: `data.${field}`, direction })),
});
const A = 'ASCENDING';
const D = 'DESCENDING';

/** The rules firestore-indexes.test.ts applies, on queries written out by hand. */
describe('which Firestore queries need a composite index, and which index serves them', () => {
  it.each<{
    name: string;
    query: Query;
    needs: boolean;
    served?: CompositeIndex[];
    notServed?: CompositeIndex[];
  }>([
    { name: 'one equality', query: { where: [['a', '==', 1]] }, needs: false },
    {
      name: 'equalities only, paged by id',
      query: {
        where: [
          ['a', '==', 1],
          ['b', 'in', [1]],
        ],
        startAfterId: 'x',
      },
      needs: false,
    },
    {
      name: 'a range ordered by its own field',
      query: { where: [['a', '>=', 1]], orderBy: { field: 'a', direction: 'desc' } },
      needs: false,
    },
    { name: 'an ordering alone', query: { orderBy: { field: 'a' }, limit: 5 }, needs: false },
    {
      name: 'equality and an ordering on another field',
      query: { where: [['a', '==', 1]], orderBy: { field: 'b', direction: 'desc' } },
      needs: true,
      served: [index(['a', A], ['b', D]), index(['a', D], ['b', D])],
      notServed: [index(['a', A], ['b', A]), index(['b', D], ['a', A]), index(['a', A], ['x', A], ['b', D])],
    },
    {
      name: 'equalities in any order in the index',
      query: {
        where: [
          ['a', '==', 1],
          ['c', '==', null],
        ],
        orderBy: { field: 'b' },
      },
      needs: true,
      served: [index(['c', A], ['a', A], ['b', A])],
      notServed: [index(['a', A], ['b', A])],
    },
  ])('$name', ({ query, needs, served = [], notServed = [] }) => {
    const shape = shapeOf('c', query);
    if (!shape) throw new Error('no shape');
    expect(needsIndex(shape)).toBe(needs);
    for (const i of served) expect(serves(i, shape), JSON.stringify(i.fields)).toBe(true);
    for (const i of notServed) expect(serves(i, shape), JSON.stringify(i.fields)).toBe(false);
    expect(serves({ ...index(), ...served[0], collection: 'other' }, shape)).toBe(false);
  });

  it('refuses a range on one field ordered by another: Firestore would order by the range field after __name__', () => {
    expect(() => shapeOf('c', { where: [['a', '<', 1]], orderBy: { field: 'b' } })).toThrow(
      /range on data\.a/,
    );
  });

  it('puts a range field without an ordering into the ordering, ascending', () => {
    expect(
      shapeOf('c', {
        where: [
          ['e', '==', 1],
          ['a', '<', 1],
        ],
      }),
    ).toEqual({
      collection: 'c',
      equality: ['data.e'],
      ordering: [{ field: 'data.a', direction: 'ASCENDING' }],
    });
  });
});
