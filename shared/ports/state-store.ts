/**
 * State store port: a small document database (Firestore's model). Collections hold JSON documents
 * keyed by id. Every write bumps the document's opaque `version`, which is what preconditions check.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type DocData = { [key: string]: unknown };

export interface StoredDoc<T = DocData> {
  id: string;
  data: T;
  /** Opaque, changes on every write (Firestore: update time; SQLite: a counter). */
  version: string;
  createTime: string;
  updateTime: string;
  /** When set, the document may be removed after this instant (TTL). */
  expireAt?: string;
}

export interface WriteOptions {
  /** Removal time for TTL (Firestore TTL policy on field `expireAt`; SQLite purges it). */
  expireAt?: Date;
}

export interface UpdateOptions extends WriteOptions {
  /** Fails with AppError `precondition_failed` unless the stored document is at this version. */
  ifVersion?: string;
}

export type WhereOp = '==' | '<' | '<=' | '>' | '>=' | 'in';
export interface Query {
  /** Conditions on top-level fields of `data`, ANDed. */
  where?: Array<[field: string, op: WhereOp, value: Json]>;
  orderBy?: { field: string; direction?: 'asc' | 'desc' };
  limit?: number;
  /** Id of the last document of the previous page (ordering ties break on id). */
  startAfterId?: string;
  /**
   * With `orderBy` and `startAfterId`: that document's value of the ordering field, as a page token
   * carries it. The document then need not exist any more (it may have been deleted between pages);
   * without it the store looks the value up and refuses an unknown id (`bad_request`).
   */
  startAfterValue?: Json;
}

export interface TransactionOps {
  get<T = DocData>(collection: string, id: string): Promise<StoredDoc<T> | undefined>;
  /** Fails with `conflict` when the document already exists. */
  create(collection: string, id: string, data: DocData, options?: WriteOptions): void;
  set(collection: string, id: string, data: DocData, options?: WriteOptions): void;
  /** Replaces the document; fails with `not_found` if absent, `precondition_failed` on version mismatch. */
  update(collection: string, id: string, data: DocData, options?: UpdateOptions): void;
  delete(collection: string, id: string, options?: { ifVersion?: string }): void;
}

export interface StateStore {
  get<T = DocData>(collection: string, id: string): Promise<StoredDoc<T> | undefined>;
  /** Create-if-absent: true when created, false when a document with that id already exists. */
  create(collection: string, id: string, data: DocData, options?: WriteOptions): Promise<boolean>;
  /** Upsert (whole document). Returns the new version. */
  set(collection: string, id: string, data: DocData, options?: WriteOptions): Promise<string>;
  /** Replace an existing document; `not_found` if absent, `precondition_failed` on version mismatch. */
  update(collection: string, id: string, data: DocData, options?: UpdateOptions): Promise<string>;
  /** True when a document was deleted. `precondition_failed` on version mismatch. */
  delete(collection: string, id: string, options?: { ifVersion?: string }): Promise<boolean>;
  query<T = DocData>(collection: string, query?: Query): Promise<Array<StoredDoc<T>>>;
  /**
   * How many documents match the filters, without reading them (Firestore: a count() aggregation,
   * one read per 1,000 documents counted; SQLite: COUNT over the same conditions as `query`).
   */
  count(collection: string, query?: Pick<Query, 'where'>): Promise<number>;
  /**
   * Reads then writes atomically: writes are buffered and applied only if no document read in the
   * transaction changed meanwhile. An optimistic store (SQLite) runs the function again when one did,
   * a bounded number of times; a pessimistic one (Firestore) locks what the function read, so a write
   * to it from elsewhere waits for the commit. Hence the function must never wait for such a write
   * itself: on Firestore that deadlocks until the transaction times out (about a minute).
   */
  runTransaction<R>(fn: (tx: TransactionOps) => Promise<R>): Promise<R>;
  /** Deletes documents of `collection` whose `expireAt` is before `now`; returns how many. */
  purgeExpired(collection: string, now: Date): Promise<number>;
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
