import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { AppError } from '../../errors/index.ts';
import type {
  DocData,
  Json,
  Query,
  StateStore,
  StoredDoc,
  TransactionOps,
  UpdateOptions,
  WriteOptions,
} from '../../ports/index.ts';
import { type DocRow, DocTable, encodeData, rowToDoc } from './doc-table.ts';
import { openSqliteDatabase, writeTransaction } from './sqlite-database.ts';
import { buildCount, buildQuery, fieldIndexSql, jsonPath } from './sqlite-query.ts';
import { runSqliteTransaction } from './sqlite-transaction.ts';

/** Prepared query statements kept; past this the cache starts over (bounds `in` lists of many lengths). */
const MAX_CACHED_STATEMENTS = 200;

export interface SqliteStateStoreOptions {
  /** SQLite file (shared with the queue and with other processes). */
  file: string;
  /** WAL pages at which a commit checkpoints (default SQLite's 1000; raise it under a WalCheckpointer). */
  autoCheckpointPages?: number | undefined;
  now?: () => Date;
  /** Runs of a transaction function before giving up with `conflict` (default 10). */
  maxTransactionAttempts?: number;
  /** (collection, field) pairs whose equality filters get an index (see fieldIndexSql). */
  fieldIndexes?: ReadonlyArray<readonly [collection: string, field: string]>;
}

/** The state store port on a SQLite file: JSON documents per (collection, id) with a version counter. */
export class SqliteStateStore implements StateStore {
  private readonly db: DatabaseSync;
  private readonly table: DocTable;
  private readonly maxAttempts: number;
  private readonly statements = new Map<string, StatementSync>();
  private closed = false;

  constructor(options: SqliteStateStoreOptions) {
    this.db = openSqliteDatabase(options.file, { autoCheckpointPages: options.autoCheckpointPages });
    this.table = new DocTable(this.db, options.now ?? (() => new Date()));
    this.maxAttempts = options.maxTransactionAttempts ?? 10;
    for (const [collection, field] of options.fieldIndexes ?? [])
      this.db.exec(fieldIndexSql(collection, field));
  }

  async get<T = DocData>(collection: string, id: string): Promise<StoredDoc<T> | undefined> {
    return this.table.read<T>(collection, id);
  }

  async create(collection: string, id: string, data: DocData, options?: WriteOptions): Promise<boolean> {
    const json = encodeData(collection, id, data);
    return writeTransaction(this.db, () => this.table.create(collection, id, json, options));
  }

  async set(collection: string, id: string, data: DocData, options?: WriteOptions): Promise<string> {
    const json = encodeData(collection, id, data);
    return writeTransaction(this.db, () => this.table.set(collection, id, json, options));
  }

  async update(collection: string, id: string, data: DocData, options?: UpdateOptions): Promise<string> {
    const json = encodeData(collection, id, data);
    return writeTransaction(this.db, () => this.table.update(collection, id, json, options));
  }

  async delete(collection: string, id: string, options?: { ifVersion?: string }): Promise<boolean> {
    return writeTransaction(this.db, () => this.table.delete(collection, id, options));
  }

  async query<T = DocData>(collection: string, query: Query = {}): Promise<Array<StoredDoc<T>>> {
    let cursorValue: SQLInputValue = null;
    if (query.orderBy && query.startAfterId !== undefined && query.startAfterValue !== undefined) {
      cursorValue = sqlValueOf(query.startAfterValue);
    } else if (query.orderBy && query.startAfterId !== undefined) {
      const row = this.db
        .prepare('SELECT json_extract(data, ?) AS value FROM docs WHERE collection = ? AND id = ?')
        .get(jsonPath(query.orderBy.field), collection, query.startAfterId) as
        | { value: SQLInputValue }
        | undefined;
      if (!row) throw new AppError('bad_request', 'startAfterId does not name a document of this collection');
      cursorValue = row.value;
    }
    const { sql, params } = buildQuery(collection, query, cursorValue);
    return (this.statement(sql).all(...params) as unknown as DocRow[]).map((row) => rowToDoc<T>(row));
  }

  async count(collection: string, query: Pick<Query, 'where'> = {}): Promise<number> {
    const { sql, params } = buildCount(collection, query.where);
    return Number((this.statement(sql).get(...params) as { n: number | bigint }).n);
  }

  /** Query texts repeat (they are built from the code's query shapes): prepare each once. */
  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  runTransaction<R>(fn: (tx: TransactionOps) => Promise<R>): Promise<R> {
    return runSqliteTransaction(this.table, fn, this.maxAttempts);
  }

  async purgeExpired(collection: string, now: Date): Promise<number> {
    const result = this.db
      .prepare('DELETE FROM docs WHERE collection = ? AND expire_at IS NOT NULL AND expire_at < ?')
      .run(collection, now.toISOString());
    return Number(result.changes);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

/** A JSON value as json_extract returns it (booleans are 1 and 0); only scalars order. */
function sqlValueOf(value: Json): SQLInputValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new AppError('bad_request', 'startAfterValue must be a string, number, boolean or null');
}
