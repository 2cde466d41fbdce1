import { Firestore } from '@google-cloud/firestore';
import { buildFirestoreQuery } from '../../../shared/adapters/gcp/firestore-query.ts';
import type { Query } from '../../../shared/ports/index.ts';

/**
 * What Firestore needs to serve a query, derived from the structured query FirestoreStateStore's
 * query builder sends (shared/adapters/gcp/firestore-query.ts), so the rules below see exactly the
 * filters and orderings that reach Firestore.
 */
export interface QueryShape {
  collection: string;
  /** Fields under `==`, `in` or IS_NULL, sorted (their order in an index does not matter). */
  equality: string[];
  /** The ordering Firestore applies: explicit orderBy, then inequality fields it does not name. */
  ordering: Array<{ field: string; direction: Direction }>;
}

export type Direction = 'ASCENDING' | 'DESCENDING';

export interface CompositeIndex {
  name: string;
  collection: string;
  fields: Array<{ field: string; direction: Direction }>;
}

interface StructuredFilter {
  compositeFilter?: { filters: StructuredFilter[] };
  fieldFilter?: { field: { fieldPath: string }; op: string };
  unaryFilter?: { field: { fieldPath: string }; op: string };
}
interface StructuredQuery {
  where?: StructuredFilter;
  orderBy?: Array<{ field: { fieldPath: string }; direction: Direction }>;
}

const EQUALITY_OPS = new Set(['EQUAL', 'IN', 'IS_NULL', 'ARRAY_CONTAINS', 'ARRAY_CONTAINS_ANY']);
const NAME = '__name__';

// Building a query reference sends nothing: this client never connects anywhere.
const offline = new Firestore({ projectId: 'index-shapes', universeDomain: 'googleapis.com' } as never);

/** The shape of `query` (or of `count` with its `where`) as FirestoreStateStore sends it. */
export function shapeOf(collection: string, query: Query): QueryShape | undefined {
  const built = buildFirestoreQuery(offline.collection(collection), query);
  if (!built) return undefined;
  // toProto() is not in the typings; it is what the client sends in RunQuery.
  const { structuredQuery } = (
    built as unknown as { toProto(): { structuredQuery: StructuredQuery } }
  ).toProto();
  const equality = new Set<string>();
  const inequality = new Set<string>();
  const visit = (filter: StructuredFilter | undefined): void => {
    if (!filter) return;
    for (const inner of filter.compositeFilter?.filters ?? []) visit(inner);
    const leaf = filter.fieldFilter ?? filter.unaryFilter;
    if (leaf) (EQUALITY_OPS.has(leaf.op) ? equality : inequality).add(leaf.field.fieldPath);
  };
  visit(structuredQuery.where);
  const ordering = (structuredQuery.orderBy ?? []).map((o) => ({
    field: o.field.fieldPath,
    direction: o.direction ?? 'ASCENDING',
  }));
  // Firestore orders by inequality fields the query does not order by, by name, after its orderBy.
  const last = ordering.filter((o) => o.field !== NAME).at(-1)?.direction ?? 'ASCENDING';
  const named = new Set(ordering.map((o) => o.field));
  const implicit = [...inequality].filter((f) => !named.has(f)).sort();
  const nameAt = ordering.findIndex((o) => o.field === NAME);
  const explicit = ordering.filter((o) => o.field !== NAME);
  if (nameAt >= 0 && ordering[nameAt]?.direction !== last && explicit.length > 0) {
    throw new Error(`${collection}: orders __name__ against its last field; no terraform index can say so`);
  }
  if (nameAt >= 0 && implicit.length > 0) {
    // Firestore appends the range fields after the explicit __name__ the builder adds, an ordering
    // that no index declared here can serve; order by the range field instead.
    throw new Error(`${collection}: a range on ${implicit.join(', ')} ordered by another field`);
  }
  return {
    collection,
    equality: [...equality].sort(),
    ordering: [...explicit, ...implicit.map((field) => ({ field, direction: last }))],
  };
}

/**
 * Whether a shape needs a composite index. Firestore serves on its own: one field (filtered and/or
 * ordered), and any number of equality filters with no ordering (it merges the single-field
 * indexes). Anything ordered on a field besides its equality fields, or on two fields, needs one.
 */
export function needsIndex(shape: QueryShape): boolean {
  const fields = new Set([...shape.equality, ...shape.ordering.map((o) => o.field)]);
  if (fields.size <= 1) return false;
  return shape.ordering.length > 0;
}

/**
 * An index serves a shape when it holds the equality fields first (in any order, any direction),
 * then exactly the shape's ordering, field by field and direction by direction. (Firestore can also
 * merge several composite indexes that end in the same ordering; this check asks for one that
 * serves the query alone, which is what the index link in Firestore's error creates.)
 */
export function serves(index: CompositeIndex, shape: QueryShape): boolean {
  if (index.collection !== shape.collection) return false;
  const eq = shape.equality.filter((f) => !shape.ordering.some((o) => o.field === f));
  if (index.fields.length !== eq.length + shape.ordering.length) return false;
  const head = index.fields.slice(0, eq.length).map((f) => f.field);
  if ([...head].sort().join('\n') !== [...eq].sort().join('\n')) return false;
  return shape.ordering.every((o, i) => {
    const f = index.fields[eq.length + i];
    return f?.field === o.field && f.direction === o.direction;
  });
}

export function describeShape(shape: QueryShape): string {
  const eq = shape.equality.map((f) => `${f} ==`);
  const order = shape.ordering.map((o) => `${o.field} ${o.direction === 'DESCENDING' ? 'desc' : 'asc'}`);
  return `${shape.collection}: ${[...eq, ...(order.length ? [`order by ${order.join(', ')}`] : [])].join(', ')}`;
}
