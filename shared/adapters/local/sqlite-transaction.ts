import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../errors/index.ts';
import type { DocData, StoredDoc, TransactionOps, UpdateOptions, WriteOptions } from '../../ports/index.ts';
import { type DocTable, encodeData } from './doc-table.ts';
import { writeTransaction } from './sqlite-database.ts';

type BufferedWrite =
  | { kind: 'create' | 'set'; collection: string; id: string; json: string; options: WriteOptions }
  | { kind: 'update'; collection: string; id: string; json: string; options: UpdateOptions }
  | { kind: 'delete'; collection: string; id: string; options: { ifVersion?: string } };

const key = (collection: string, id: string) => JSON.stringify([collection, id]);

/**
 * Optimistic transaction: reads go straight to the table and remember the version they saw; writes are
 * buffered. At commit, inside BEGIN IMMEDIATE, every read is checked again: if any document changed
 * (or appeared) the whole function runs again, up to `maxAttempts` times, then AppError `conflict`.
 * Preconditions of the writes themselves (create of an existing id, ifVersion) fail without a retry.
 */
export async function runSqliteTransaction<R>(
  table: DocTable,
  fn: (tx: TransactionOps) => Promise<R>,
  maxAttempts: number,
): Promise<R> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const reads = new Map<string, { collection: string; id: string; version: string | undefined }>();
    const writes: BufferedWrite[] = [];
    const tx: TransactionOps = {
      get: async <T = DocData>(collection: string, id: string): Promise<StoredDoc<T> | undefined> => {
        // Firestore refuses reads after writes in a transaction; failing here too keeps callers portable.
        if (writes.length > 0) throw new Error('Transaction reads must come before its writes');
        const doc = table.read<T>(collection, id);
        reads.set(key(collection, id), { collection, id, version: doc?.version });
        return doc;
      },
      create: (collection, id, data, options = {}) => {
        writes.push({ kind: 'create', collection, id, json: encodeData(collection, id, data), options });
      },
      set: (collection, id, data, options = {}) => {
        writes.push({ kind: 'set', collection, id, json: encodeData(collection, id, data), options });
      },
      update: (collection, id, data, options = {}) => {
        writes.push({ kind: 'update', collection, id, json: encodeData(collection, id, data), options });
      },
      delete: (collection, id, options = {}) => {
        writes.push({ kind: 'delete', collection, id, options });
      },
    };

    const readsCurrent = () =>
      [...reads.values()].every((read) => table.version(read.collection, read.id) === read.version);
    let result: R;
    try {
      result = await fn(tx);
    } catch (err) {
      // Reads are not one snapshot: a throw caused by documents changing between two reads is retried.
      if (readsCurrent()) throw err;
      await delay(Math.random() * Math.min(50, 2 ** attempt));
      continue;
    }
    const committed = writeTransaction(table.db, () => {
      if (!readsCurrent()) return false;
      for (const write of writes) apply(table, write);
      return true;
    });
    if (committed) return result;
    // Random pause so two contending transactions do not keep colliding in lock step.
    await delay(Math.random() * Math.min(50, 2 ** attempt));
  }
  throw new AppError(
    'conflict',
    `Transaction gave up after ${maxAttempts} attempts: its documents kept changing`,
  );
}

function apply(table: DocTable, write: BufferedWrite): void {
  const { collection, id } = write;
  switch (write.kind) {
    case 'create':
      if (!table.create(collection, id, write.json, write.options)) {
        throw new AppError('conflict', `Document ${collection}/${id} already exists`);
      }
      return;
    case 'set':
      table.set(collection, id, write.json, write.options);
      return;
    case 'update':
      table.update(collection, id, write.json, write.options);
      return;
    case 'delete':
      table.delete(collection, id, write.options);
      return;
  }
}
