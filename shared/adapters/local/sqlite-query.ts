import type { SQLInputValue } from 'node:sqlite';
import { AppError } from '../../errors/index.ts';
import type { Json, Query, WhereOp } from '../../ports/index.ts';
import { DOC_COLUMNS } from './doc-table.ts';

const FIELD = /^[A-Za-z0-9_-]{1,200}$/;
const RANGE_OPS = new Set<WhereOp>(['<', '<=', '>', '>=']);
type Scalar = string | number | boolean | null;

export interface BuiltQuery {
  sql: string;
  params: SQLInputValue[];
}

/** The cursor document's value of the ordering field (as SQLite's json_extract returns it). */
export type CursorValue = SQLInputValue;

/**
 * Translates a port query to SQL over the JSON column. Like Firestore, a comparison only matches
 * values of the same type (a number never matches a string filter), and ordering on a field leaves
 * out documents that lack it (JSON null sorts first). Paging is keyset: rows after the cursor
 * document's (value, id); `cursorValue` is that value, looked up by the caller.
 */
export function buildQuery(
  collection: string,
  query: Query = {},
  cursorValue: CursorValue = null,
): BuiltQuery {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  for (const [field, op, value] of query.where ?? []) {
    const clause = condition(sqlText(jsonPath(field)), op, value);
    where.push(clause.sql);
    params.push(...clause.params);
  }

  const order = query.orderBy;
  const dir = order?.direction === 'desc' ? 'DESC' : 'ASC';
  const cursor = query.startAfterId;
  // Collection and paths are written into the text (both are validated names), not bound: only then
  // can SQLite use the partial expression indexes on hot fields (see fieldIndexSql).
  const inCollection = `collection = ${sqlText(collectionName(collection))}`;
  let from = `docs WHERE ${inCollection}`;
  if (order) {
    const path = sqlText(jsonPath(order.field));
    from = `(SELECT *, json_extract(data, ${path}) AS sort_value FROM docs WHERE ${inCollection})`;
    where.push(`json_type(data, ${path}) IS NOT NULL`);
    if (cursor !== undefined) {
      const keyset = keysetClause(dir, cursorValue, cursor);
      where.push(keyset.sql);
      params.push(...keyset.params);
    }
  } else if (cursor !== undefined) {
    where.push('id > ?');
    params.push(cursor);
  }

  let sql = `SELECT ${DOC_COLUMNS} FROM ${from}`;
  if (where.length > 0) sql += `${order ? ' WHERE ' : ' AND '}${where.join(' AND ')}`;
  sql += order ? ` ORDER BY sort_value ${dir}, id ${dir}` : ' ORDER BY id ASC';
  const all = [...params];
  if (query.limit !== undefined) {
    if (!Number.isInteger(query.limit) || query.limit < 0) {
      throw new AppError('bad_request', 'Query limit must be a non-negative integer');
    }
    sql += ' LIMIT ?';
    all.push(query.limit);
  }
  return { sql, params: all };
}

/** `SELECT COUNT(*)` over the documents `where` matches (same conditions as buildQuery). */
export function buildCount(collection: string, where: Query['where'] = []): BuiltQuery {
  const clauses = [`collection = ${sqlText(collectionName(collection))}`];
  const params: SQLInputValue[] = [];
  for (const [field, op, value] of where) {
    const clause = condition(sqlText(jsonPath(field)), op, value);
    clauses.push(clause.sql);
    params.push(...clause.params);
  }
  return { sql: `SELECT COUNT(*) AS n FROM docs WHERE ${clauses.join(' AND ')}`, params };
}

function keysetClause(dir: 'ASC' | 'DESC', value: CursorValue, id: string): BuiltQuery {
  if (dir === 'ASC') {
    return value === null
      ? { sql: '(sort_value IS NOT NULL OR id > ?)', params: [id] }
      : { sql: '(sort_value > ? OR (sort_value = ? AND id > ?))', params: [value, value, id] };
  }
  return value === null
    ? { sql: '(sort_value IS NULL AND id < ?)', params: [id] }
    : {
        sql: '(sort_value < ? OR (sort_value = ? AND id < ?) OR sort_value IS NULL)',
        params: [value, value, id],
      };
}

const COLLECTION = /^[A-Za-z0-9_-]{1,200}$/;

/** A collection name, checked (it is written into SQL text). */
function collectionName(collection: string): string {
  if (!COLLECTION.test(collection)) {
    throw new AppError('bad_request', 'Collection names must be letters, digits, _ or -');
  }
  return collection;
}

/** A SQL string literal of a name already checked to hold no quote. */
function sqlText(checked: string): string {
  return `'${checked}'`;
}

/**
 * A partial expression index on one field of one collection, matching the text buildQuery writes
 * for an equality filter on it, so that filter reads the matching documents instead of scanning the
 * whole collection's JSON. `id` comes second because unordered queries sort by it: without it the
 * planner prefers walking the whole collection in key order to sorting the few matching rows.
 */
export function fieldIndexSql(collection: string, field: string): string {
  const name = `docs_by_${collectionName(collection)}_${jsonPath(field).slice(3, -1)}`.replaceAll('-', '_');
  return `CREATE INDEX IF NOT EXISTS ${name} ON docs (json_extract(data, ${sqlText(jsonPath(field))}), id)
    WHERE collection = ${sqlText(collection)}`;
}

/** `$."field"` for a top-level field name; other names are rejected. */
export function jsonPath(field: string): string {
  if (!FIELD.test(field)) {
    throw new AppError('bad_request', 'Query fields must be top-level names of letters, digits, _ or -');
  }
  return `$."${field}"`;
}

function condition(path: string, op: WhereOp, value: Json): BuiltQuery {
  if (op === 'in') {
    if (!Array.isArray(value)) throw new AppError('bad_request', "The 'in' operator needs an array");
    if (value.length === 0) return { sql: '0', params: [] };
    const parts = value.map((v) => condition(path, '==', v));
    return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
  }
  const scalar = asScalar(value);
  if (op !== '==' && !RANGE_OPS.has(op)) throw new AppError('bad_request', `Unknown query operator ${op}`);
  if (scalar === null) {
    if (op !== '==') throw new AppError('bad_request', 'null can only be compared with ==');
    return { sql: `json_type(data, ${path}) = 'null'`, params: [] };
  }
  if (typeof scalar === 'boolean') {
    if (op === '==') return { sql: `json_type(data, ${path}) = ?`, params: [scalar ? 'true' : 'false'] };
    return {
      sql: `(json_type(data, ${path}) IN ('true', 'false') AND json_extract(data, ${path}) ${op} ?)`,
      params: [scalar ? 1 : 0],
    };
  }
  const types = typeof scalar === 'number' ? "('integer', 'real')" : "('text')";
  const sqlOp = op === '==' ? '=' : op;
  return {
    sql: `(json_type(data, ${path}) IN ${types} AND json_extract(data, ${path}) ${sqlOp} ?)`,
    params: [scalar],
  };
}

function asScalar(value: Json): Scalar {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Scalar;
  throw new AppError('bad_request', 'Query values must be strings, numbers, booleans or null');
}
