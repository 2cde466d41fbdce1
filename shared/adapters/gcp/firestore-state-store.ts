import {
  type CollectionReference,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  Timestamp,
} from '@google-cloud/firestore';
import { AppError } from '../../errors/index.ts';
import type {
  DocData,
  Query,
  StateStore,
  StoredDoc,
  TransactionOps,
  UpdateOptions,
  WriteOptions,
} from '../../ports/index.ts';
import { encodeId, stringToTimestamp, timestampToString } from './firestore-codec.ts';
import { notFound, preconditionFailed, stored, toStoredDoc } from './firestore-document.ts';
import { buildFirestoreQuery } from './firestore-query.ts';
import { firestoreTransactionOps, transactionError } from './firestore-transaction.ts';
import { GRPC, grpcCode, toServiceError } from './grpc-errors.ts';

export interface FirestoreStateStoreOptions {
  firestore: Firestore;
  /** Prepended to every collection name (e.g. `staging-`), so several deployments can share a database. */
  collectionPrefix?: string;
  /** Runs of a transaction function on contention before giving up with `conflict` (default 10). */
  maxTransactionAttempts?: number;
  /** Whether close() terminates the Firestore client (default true). */
  ownsClient?: boolean;
}

/** Documents deleted per commit by purgeExpired (Firestore allows 500 writes per commit). */
const PURGE_PAGE = 200;

/**
 * The state store port on Firestore. A port document `collection/id` is the Firestore document
 * `<prefix><collection>/<id>` holding `{ data: <the JSON body>, expireAt: Timestamp | null }`.
 *
 * The body sits in one map field because the port's update *replaces* a document under a precondition,
 * and Firestore's update() with `{ lastUpdateTime }` only replaces the fields its mask names: naming
 * `data` and `expireAt` replaces everything in one write, with no read first.
 *
 * `version` is the document's update time with nanoseconds. Firestore keeps the old update time when a
 * write leaves the document identical, which is harmless for preconditions (nothing changed).
 *
 * TTL: a Firestore TTL policy on field `expireAt` (per collection group) removes expired documents
 * within about a day of expiry; `expireAt` is null when there is none (TTL skips non-timestamps).
 * purgeExpired() deletes them sooner and needs the single-field index on `expireAt` (ascending) that
 * Firestore keeps by default; do not exempt `expireAt` from indexing if purgeExpired is used.
 */
export class FirestoreStateStore implements StateStore {
  private readonly db: Firestore;
  private readonly prefix: string;
  private readonly maxAttempts: number;
  private readonly ownsClient: boolean;
  private closed = false;

  constructor(options: FirestoreStateStoreOptions) {
    this.db = options.firestore;
    this.prefix = options.collectionPrefix ?? '';
    this.maxAttempts = options.maxTransactionAttempts ?? 10;
    this.ownsClient = options.ownsClient ?? true;
  }

  async get<T = DocData>(collection: string, id: string): Promise<StoredDoc<T> | undefined> {
    try {
      return toStoredDoc<T>(await this.ref(collection, id).get());
    } catch (err) {
      throw toServiceError(err, `Reading ${collection}/${id}`);
    }
  }

  async create(collection: string, id: string, data: DocData, options?: WriteOptions): Promise<boolean> {
    const ref = this.ref(collection, id);
    try {
      await ref.create(stored({ collection, id, ref }, data, options));
      return true;
    } catch (err) {
      if (grpcCode(err) === GRPC.ALREADY_EXISTS) return false;
      throw toServiceError(err, `Creating ${collection}/${id}`);
    }
  }

  async set(collection: string, id: string, data: DocData, options?: WriteOptions): Promise<string> {
    const ref = this.ref(collection, id);
    try {
      return timestampToString((await ref.set(stored({ collection, id, ref }, data, options))).writeTime);
    } catch (err) {
      throw toServiceError(err, `Writing ${collection}/${id}`);
    }
  }

  async update(collection: string, id: string, data: DocData, options: UpdateOptions = {}): Promise<string> {
    const ref = this.ref(collection, id);
    const body = stored({ collection, id, ref }, data, options);
    let lastUpdateTime: Timestamp | undefined;
    if (options.ifVersion !== undefined) {
      lastUpdateTime = stringToTimestamp(options.ifVersion);
      if (!lastUpdateTime) throw await this.mismatch(collection, id, options.ifVersion);
    }
    try {
      const result = lastUpdateTime ? await ref.update(body, { lastUpdateTime }) : await ref.update(body);
      return timestampToString(result.writeTime);
    } catch (err) {
      if (grpcCode(err) === GRPC.FAILED_PRECONDITION && options.ifVersion !== undefined) {
        throw await this.mismatch(collection, id, options.ifVersion, err);
      }
      if (grpcCode(err) === GRPC.NOT_FOUND) throw notFound(collection, id, err);
      throw toServiceError(err, `Updating ${collection}/${id}`);
    }
  }

  async delete(collection: string, id: string, options: { ifVersion?: string } = {}): Promise<boolean> {
    const ref = this.ref(collection, id);
    try {
      if (options.ifVersion === undefined) {
        await ref.delete({ exists: true });
        return true;
      }
      const lastUpdateTime = stringToTimestamp(options.ifVersion);
      if (!lastUpdateTime) throw preconditionFailed(collection, id, options.ifVersion);
      await ref.delete({ lastUpdateTime });
      return true;
    } catch (err) {
      if (options.ifVersion === undefined && grpcCode(err) === GRPC.NOT_FOUND) return false;
      if (grpcCode(err) === GRPC.FAILED_PRECONDITION) {
        throw preconditionFailed(collection, id, options.ifVersion ?? '', err);
      }
      throw toServiceError(err, `Deleting ${collection}/${id}`);
    }
  }

  async query<T = DocData>(collection: string, query: Query = {}): Promise<Array<StoredDoc<T>>> {
    const col = this.collection(collection);
    try {
      let cursor: DocumentSnapshot | undefined;
      if (query.orderBy && query.startAfterId !== undefined && query.startAfterValue === undefined) {
        cursor = await col.doc(encodeId(query.startAfterId)).get();
        if (!cursor.exists) {
          throw new AppError('bad_request', 'startAfterId does not name a document of this collection');
        }
      }
      const q = buildFirestoreQuery(col, query, cursor);
      if (!q) return [];
      const snapshot = await q.get();
      return snapshot.docs.map((doc) => toStoredDoc<T>(doc) as StoredDoc<T>);
    } catch (err) {
      if (grpcCode(err) === GRPC.FAILED_PRECONDITION) {
        // Firestore answers FAILED_PRECONDITION when a query needs a composite index that is missing.
        throw new AppError(
          'internal',
          `Query on ${collection} needs a Firestore index (see the logged cause)`,
          {
            cause: err,
          },
        );
      }
      throw toServiceError(err, `Querying ${collection}`);
    }
  }

  async count(collection: string, query: Pick<Query, 'where'> = {}): Promise<number> {
    const col = this.collection(collection);
    try {
      const q = buildFirestoreQuery(col, { where: query.where ?? [] });
      if (!q) return 0;
      return (await q.count().get()).data().count;
    } catch (err) {
      if (grpcCode(err) === GRPC.FAILED_PRECONDITION) {
        throw new AppError(
          'internal',
          `Count on ${collection} needs a Firestore index (see the logged cause)`,
          {
            cause: err,
          },
        );
      }
      throw toServiceError(err, `Counting ${collection}`);
    }
  }

  async runTransaction<R>(fn: (tx: TransactionOps) => Promise<R>): Promise<R> {
    if (this.closed) throw new AppError('unavailable', 'The Firestore state store is closed');
    try {
      return await this.db.runTransaction((t) => fn(firestoreTransactionOps(t, this.ref.bind(this))), {
        maxAttempts: this.maxAttempts,
      });
    } catch (err) {
      throw transactionError(err, this.maxAttempts);
    }
  }

  async purgeExpired(collection: string, now: Date): Promise<number> {
    const expired = this.collection(collection)
      .where('expireAt', '<', Timestamp.fromDate(now))
      .orderBy('expireAt')
      .limit(PURGE_PAGE)
      .select();
    let total = 0;
    try {
      for (;;) {
        const page = await expired.get();
        const deleted = await this.deleteUnchanged(page.docs);
        total += deleted;
        // A page that deleted nothing was all renewed meanwhile; stop rather than spin.
        if (page.size < PURGE_PAGE || deleted === 0) return total;
      }
    } catch (err) {
      throw toServiceError(err, `Purging expired documents of ${collection}`);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.collection('bridge-health').doc('ping').get();
    } catch (err) {
      throw toServiceError(err, 'Firestore health check');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.db.terminate();
  }

  private collection(name: string): CollectionReference {
    // A terminated client's calls never settle (SDK 8.x), so refuse them here.
    if (this.closed) throw new AppError('unavailable', 'The Firestore state store is closed');
    return this.db.collection(`${this.prefix}${name}`);
  }

  private ref(collection: string, id: string): DocumentReference {
    return this.collection(collection).doc(encodeId(id));
  }

  /** Deletes documents still at the update time the query saw (a renewed one survives). */
  private async deleteUnchanged(docs: DocumentSnapshot[]): Promise<number> {
    if (docs.length === 0) return 0;
    const batch = this.db.batch();
    for (const doc of docs) batch.delete(doc.ref, { lastUpdateTime: doc.updateTime! });
    try {
      await batch.commit();
      return docs.length;
    } catch (err) {
      if (grpcCode(err) !== GRPC.FAILED_PRECONDITION) throw err;
    }
    // One document changed and failed the whole commit: delete the rest one by one.
    let deleted = 0;
    for (const doc of docs) {
      try {
        await doc.ref.delete({ lastUpdateTime: doc.updateTime! });
        deleted++;
      } catch (err) {
        if (grpcCode(err) !== GRPC.FAILED_PRECONDITION) throw err;
      }
    }
    return deleted;
  }

  /** Why a versioned write failed: the document is gone, or it moved past that version. */
  private async mismatch(
    collection: string,
    id: string,
    version: string,
    cause?: unknown,
  ): Promise<AppError> {
    const current = await this.ref(collection, id).get();
    return current.exists
      ? preconditionFailed(collection, id, version, cause)
      : notFound(collection, id, cause);
  }
}
