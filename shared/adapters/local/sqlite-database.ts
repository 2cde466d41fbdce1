import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
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
  keepPrivate(file);
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

/**
 * The file holds API key hashes, encrypted tokens and operation history: owner only (0600), like
 * secrets.key. SQLite gives the -wal and -shm files it creates the database file's mode, so the
 * file is created with that mode before SQLite opens it; files left looser by older versions are
 * tightened.
 */
function keepPrivate(file: string): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return;
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    try {
      mode = statSync(path).mode & 0o777;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if ((mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}
