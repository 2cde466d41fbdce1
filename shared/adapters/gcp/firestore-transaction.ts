import type { DocumentReference, Transaction } from '@google-cloud/firestore';
import { AppError, isAppError } from '../../errors/index.ts';
import type { DocData, StoredDoc, TransactionOps } from '../../ports/index.ts';
import { stringToTimestamp } from './firestore-codec.ts';
import { preconditionFailed, stored, toStoredDoc } from './firestore-document.ts';
import { GRPC, grpcCode, toServiceError } from './grpc-errors.ts';

type RefOf = (collection: string, id: string) => DocumentReference;

/**
 * The port's transaction over a Firestore transaction. Firestore buffers the writes and sends them in
 * the commit; reads take locks (server SDKs use pessimistic concurrency), and Firestore rejects a read
 * after a write, as the SQLite store does. Preconditions of the writes (create of an existing id,
 * `ifVersion`) are checked by Firestore at commit and fail without a retry.
 */
export function firestoreTransactionOps(t: Transaction, refOf: RefOf): TransactionOps {
  return {
    get: async <T = DocData>(collection: string, id: string): Promise<StoredDoc<T> | undefined> =>
      toStoredDoc<T>(await t.get(refOf(collection, id))),
    create: (collection, id, data, options) => {
      const ref = refOf(collection, id);
      t.create(ref, stored({ collection, id, ref }, data, options));
    },
    set: (collection, id, data, options) => {
      const ref = refOf(collection, id);
      t.set(ref, stored({ collection, id, ref }, data, options));
    },
    update: (collection, id, data, options = {}) => {
      const ref = refOf(collection, id);
      if (options.ifVersion === undefined) {
        t.update(ref, stored({ collection, id, ref }, data, options));
        return;
      }
      const lastUpdateTime = stringToTimestamp(options.ifVersion);
      if (!lastUpdateTime) throw preconditionFailed(collection, id, options.ifVersion);
      t.update(ref, stored({ collection, id, ref }, data, options), { lastUpdateTime });
    },
    delete: (collection, id, options = {}) => {
      const ref = refOf(collection, id);
      if (options.ifVersion === undefined) {
        t.delete(ref);
        return;
      }
      const lastUpdateTime = stringToTimestamp(options.ifVersion);
      if (!lastUpdateTime) throw preconditionFailed(collection, id, options.ifVersion);
      t.delete(ref, { lastUpdateTime });
    },
  };
}

/** Maps what a failed Firestore transaction rejected with (the commit does not say which write failed). */
export function transactionError(err: unknown, maxAttempts: number): unknown {
  if (isAppError(err)) return err;
  switch (grpcCode(err)) {
    case GRPC.ABORTED:
      return new AppError(
        'conflict',
        `Transaction gave up after ${maxAttempts} attempts: its documents kept changing`,
        {
          cause: err,
        },
      );
    case GRPC.ALREADY_EXISTS:
      return new AppError('conflict', 'Transaction failed: a document it creates already exists', {
        cause: err,
      });
    case GRPC.NOT_FOUND:
      return new AppError('not_found', 'Transaction failed: a document it updates does not exist', {
        cause: err,
      });
    case GRPC.FAILED_PRECONDITION:
      return new AppError(
        'precondition_failed',
        'Transaction failed: a document is not at the expected version',
        {
          cause: err,
        },
      );
    case undefined:
      // Not from Firestore: the caller's own error (or misuse such as a read after a write).
      return err;
    default:
      return toServiceError(err, 'Transaction');
  }
}
