import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { AppError } from '../../errors/index.ts';
import { checkDocumentSize, type DocData, type StoredDoc, type WriteOptions } from '../../ports/index.ts';
import { prepareDocTable } from './doc-table-schema.ts';

export interface DocRow {
  id: string;
  data: string;
  version: number;
  create_time: string;
  update_time: string;
  expire_at: string | null;
}

export const DOC_COLUMNS = 'id, data, version, create_time, update_time, expire_at';

export function rowToDoc<T>(row: DocRow): StoredDoc<T> {
  const doc: StoredDoc<T> = {
    id: row.id,
    data: JSON.parse(row.data) as T,
    version: String(row.version),
    createTime: row.create_time,
    updateTime: row.update_time,
  };
  if (row.expire_at !== null) doc.expireAt = row.expire_at;
  return doc;
}

/**
 * Serialises a document body once, so later mutation of the caller's object cannot leak in, and
 * refuses a body over MAX_DOCUMENT_BYTES (the limit every state store keeps).
 */
export function encodeData(collection: string, id: string, data: DocData): string {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError('bad_request', 'A document must be a JSON object');
  }
  const json = JSON.stringify(data);
  checkDocumentSize(collection, id, json);
  return json;
}

/**
 * The document table's synchronous primitives. Versions come from one counter for the whole file, so
 * a document deleted and created again never repeats a version an old precondition could match.
 * Writers must call these inside `writeTransaction`.
 */
export class DocTable {
  readonly db: DatabaseSync;
  private readonly now: () => Date;
  private readonly selectOne: StatementSync;
  private readonly selectVersion: StatementSync;
  private readonly bumpVersion: StatementSync;
  private readonly insertDoc: StatementSync;
  private readonly replaceDoc: StatementSync;
  private readonly deleteDoc: StatementSync;

  constructor(db: DatabaseSync, now: () => Date) {
    this.db = db;
    this.now = now;
    prepareDocTable(db);
    this.selectOne = db.prepare(`SELECT ${DOC_COLUMNS} FROM docs WHERE collection = ? AND id = ?`);
    this.selectVersion = db.prepare('SELECT version FROM docs WHERE collection = ? AND id = ?');
    this.bumpVersion = db.prepare(
      'UPDATE doc_version_seq SET value = value + 1 WHERE one = 1 RETURNING value',
    );
    this.insertDoc = db.prepare(
      `INSERT INTO docs (collection, id, data, version, create_time, update_time, expire_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.replaceDoc = db.prepare(
      'UPDATE docs SET data = ?, version = ?, update_time = ?, expire_at = ? WHERE collection = ? AND id = ?',
    );
    this.deleteDoc = db.prepare('DELETE FROM docs WHERE collection = ? AND id = ?');
  }

  read<T>(collection: string, id: string): StoredDoc<T> | undefined {
    const row = this.selectOne.get(collection, id) as DocRow | undefined;
    return row ? rowToDoc<T>(row) : undefined;
  }

  version(collection: string, id: string): string | undefined {
    const row = this.selectVersion.get(collection, id) as { version: number } | undefined;
    return row ? String(row.version) : undefined;
  }

  create(collection: string, id: string, json: string, options: WriteOptions = {}): boolean {
    if (this.version(collection, id) !== undefined) return false;
    const time = this.now().toISOString();
    this.insertDoc.run(collection, id, json, this.nextVersion(), time, time, expiry(options));
    return true;
  }

  set(collection: string, id: string, json: string, options: WriteOptions = {}): string {
    if (this.version(collection, id) === undefined) {
      this.create(collection, id, json, options);
    } else {
      this.replaceDoc.run(
        json,
        this.nextVersion(),
        this.now().toISOString(),
        expiry(options),
        collection,
        id,
      );
    }
    return this.version(collection, id)!;
  }

  update(
    collection: string,
    id: string,
    json: string,
    options: WriteOptions & { ifVersion?: string | undefined } = {},
  ): string {
    const current = this.version(collection, id);
    if (current === undefined) throw new AppError('not_found', `Document ${collection}/${id} not found`);
    checkVersion(collection, id, current, options.ifVersion);
    const version = this.nextVersion();
    this.replaceDoc.run(json, version, this.now().toISOString(), expiry(options), collection, id);
    return String(version);
  }

  delete(collection: string, id: string, options: { ifVersion?: string | undefined } = {}): boolean {
    const current = this.version(collection, id);
    if (current === undefined) {
      if (options.ifVersion !== undefined) checkVersion(collection, id, undefined, options.ifVersion);
      return false;
    }
    checkVersion(collection, id, current, options.ifVersion);
    this.deleteDoc.run(collection, id);
    return true;
  }

  private nextVersion(): number {
    return (this.bumpVersion.get() as { value: number }).value;
  }
}

function expiry(options: WriteOptions): string | null {
  return options.expireAt ? options.expireAt.toISOString() : null;
}

function checkVersion(collection: string, id: string, current: string | undefined, expected?: string): void {
  if (expected !== undefined && current !== expected) {
    throw new AppError('precondition_failed', `Document ${collection}/${id} is not at version ${expected}`);
  }
}
