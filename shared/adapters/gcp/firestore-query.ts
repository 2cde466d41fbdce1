import {
  type CollectionReference,
  type DocumentSnapshot,
  FieldPath,
  type Query as FsQuery,
} from '@google-cloud/firestore';
import { AppError } from '../../errors/index.ts';
import type { Json, Query, WhereOp } from '../../ports/index.ts';
import { encodeId } from './firestore-codec.ts';

const FIELD = /^[A-Za-z0-9_-]{1,200}$/;
const OPS = new Set<WhereOp>(['==', '<', '<=', '>', '>=', 'in']);
/** Firestore's limit on the values of one `in` filter. */
const MAX_IN_VALUES = 30;

/** The Firestore field path of a top-level field of the port's `data`. */
export function dataField(field: string): FieldPath {
  if (!FIELD.test(field)) {
    throw new AppError('bad_request', 'Query fields must be top-level names of letters, digits, _ or -');
  }
  return new FieldPath('data', field);
}

/**
 * Translates a port query. Results are `undefined` when the query can match nothing (an empty `in`),
 * which Firestore would reject instead of answering.
 *
 * Indexes: Firestore indexes every field of `data` on its own automatically, which covers a single
 * condition, an ordering alone, and equality conditions on several fields without an ordering (it
 * merges the single-field indexes; paging by id included). Anything ordered on a field besides its
 * equality fields needs a composite index (terraform's `google_firestore_index`), fields in this order:
 *   - equality on A, ordering on B:          data.A ASC, data.B ASC|DESC, __name__ same direction as B
 *   - range on A with ordering on B (B ≠ A): avoid: Firestore orders by A after the __name__ added
 *     here, which no index declared in terraform serves (the index test refuses the shape)
 * test/gcp/firestore-indexes.test.ts records the queries the bridge makes and checks firestore.tf
 * against these rules (no emulator enforces indexes). The error for a missing index carries a console
 * link that creates it; it is logged as the cause.
 */
export function buildFirestoreQuery(
  collection: CollectionReference,
  query: Query,
  cursor?: DocumentSnapshot,
): FsQuery | undefined {
  let q: FsQuery = collection;
  for (const [field, op, value] of query.where ?? []) {
    if (!OPS.has(op)) throw new AppError('bad_request', `Unknown query operator ${op}`);
    if (op === 'in') {
      if (!Array.isArray(value)) throw new AppError('bad_request', "The 'in' operator needs an array");
      if (value.length === 0) return undefined;
      if (value.length > MAX_IN_VALUES) {
        throw new AppError('bad_request', `The 'in' operator takes at most ${MAX_IN_VALUES} values`);
      }
      value.forEach(scalar);
    } else if (scalar(value) === null && op !== '==') {
      throw new AppError('bad_request', 'null can only be compared with ==');
    }
    q = q.where(dataField(field), op, value);
  }

  if (query.orderBy) {
    const dir = query.orderBy.direction === 'desc' ? 'desc' : 'asc';
    // Ties break on the document id, in the same direction, as in the SQLite store.
    q = q.orderBy(dataField(query.orderBy.field), dir).orderBy(FieldPath.documentId(), dir);
    if (cursor !== undefined) q = q.startAfter(cursor);
    else if (query.startAfterId !== undefined && query.startAfterValue !== undefined) {
      // The page token's (value, id): the document itself may be gone.
      q = q.startAfter(query.startAfterValue, encodeId(query.startAfterId));
    }
  } else if (query.startAfterId !== undefined) {
    q = q.orderBy(FieldPath.documentId()).startAfter(encodeId(query.startAfterId));
  }

  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 0) {
      throw new AppError('bad_request', 'Query limit must be a non-negative integer');
    }
    if (query.limit === 0) return undefined;
    q = q.limit(query.limit);
  }
  return q;
}

function scalar(value: Json): string | number | boolean | null {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
    return value as string | number | boolean | null;
  }
  throw new AppError('bad_request', 'Query values must be strings, numbers, booleans or null');
}
