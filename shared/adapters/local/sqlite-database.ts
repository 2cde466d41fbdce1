import { DatabaseSync } from 'node:sqlite';

/** How long a connection waits for another connection's (or process's) write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the bridge's SQLite file. WAL lets readers run beside one writer, so the state store and the
 * queue (and a second process on the same file) share it; `synchronous=NORMAL` in WAL mode keeps every
 * committed transaction across a process crash (only a power loss can drop the last few commits).
 * `autoCheckpointPages` raises the WAL size at which a commit checkpoints, for files whose
 * checkpoints a WalCheckpointer makes.
 */
export function openSqliteDatabase(
  file: string,
  options: { autoCheckpointPages?: number } = {},
): DatabaseSync {
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  if (options.autoCheckpointPages !== undefined) {
    db.exec(`PRAGMA wal_autocheckpoint = ${Math.max(0, Math.floor(options.autoCheckpointPages))}`);
  }
  return db;
}

/**
 * Runs `fn` inside `BEGIN IMMEDIATE` (takes the write lock up front, so a read-then-write cannot be
 * overtaken by another connection) and commits, or rolls back when it throws. `fn` must be synchronous:
 * a transaction never spans an await, so connections in one process cannot interleave inside it.
 */
export function writeTransaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}
