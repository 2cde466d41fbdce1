import { existsSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { LeaseHolder } from './bus-queue.ts';
import { isProcessAlive } from './process-checks.ts';

/** `unknown`: no lock file (a holder from before these locks, or one whose file is gone). */
export type InstanceState = 'alive' | 'dead' | 'unknown';

/** A gone instance's file is removed only once it is this old: a new one may not have locked it yet. */
const SWEEP_AFTER_MS = 60_000;
const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Which bus instances of a data dir are still running. Each running instance holds a SQLite lock on
 * its own empty file `<dir>/<instance id>.lock` for as long as it runs. The kernel
 * drops that lock the moment the process ends, however it ends (SIGKILL, OOM kill), before the process
 * is reaped: unlike a PID, the lock does not outlive its process as a zombie, and a new process that
 * is given the same PID (a restarted container's PID 1) does not inherit it. So an instance is alive
 * exactly while its file cannot be locked exclusively, on this host or another sharing the directory.
 * These are the locks (POSIX advisory locks; LockFileEx on Windows) SQLite relies on to keep the
 * database file itself consistent, so they hold wherever the database is safe to share; other
 * connections in the same process see them too (SQLite tracks them per file within a process).
 */
export class InstanceRegistry {
  private readonly dir: string;
  private held: { id: string; db: DatabaseSync } | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Takes this instance's lock; it is held until release() or the end of the process. */
  register(id: string): void {
    if (this.held) return;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // A prober holds the lock for a moment only: wait for it rather than fail.
    const db = new DatabaseSync(this.file(id), { timeout: 2_000 });
    try {
      // In exclusive locking mode the first read takes a shared lock that is never let go: held
      // without a transaction, so no journal file appears beside the lock file.
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      db.close();
      throw err;
    }
    this.held = { id, db };
  }

  /** Drops the lock; the file goes too unless `keepFile` (it then tells others this instance is gone). */
  release(options: { keepFile?: boolean } = {}): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    held.db.close();
    if (!options.keepFile) removeQuietly(this.file(held.id));
  }

  state(id: string): InstanceState {
    if (!ID.test(id)) return 'unknown';
    if (this.held?.id === id) return 'alive';
    const file = this.file(id);
    if (!existsSync(file)) return 'unknown';
    const db = new DatabaseSync(file, { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE'); // impossible while the instance holds its shared lock
      db.exec('ROLLBACK');
      return 'dead';
    } catch {
      return 'alive'; // busy (held), or unreadable: either way, not known to be gone
    } finally {
      db.close();
    }
  }

  /**
   * Whether the instance that holds a lease is gone. Its lock says so; a holder without one comes
   * from a version before these locks: then its PID, on this host, is all there is to go by (`self`'s
   * own PID there is a reused one, as every instance of this version has a lock).
   */
  isGone(lease: LeaseHolder, self: LeaseHolder): boolean {
    const state = this.state(lease.owner);
    if (state !== 'unknown') return state === 'dead';
    return lease.host === self.host && (lease.pid === self.pid || !isProcessAlive(lease.pid));
  }

  /** Removes the files of instances that are gone (leases already released by then). */
  sweep(now = Date.now()): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const id = name.endsWith('.lock') ? name.slice(0, -'.lock'.length) : '';
      if (!ID.test(id) || id === this.held?.id) continue;
      const file = join(this.dir, name);
      try {
        if (now - statSync(file).mtimeMs < SWEEP_AFTER_MS || this.state(id) !== 'dead') continue;
      } catch {
        continue;
      }
      removeQuietly(file);
    }
  }

  private file(id: string): string {
    if (!ID.test(id)) throw new Error('instance ids are letters, digits and dashes');
    return join(this.dir, `${id}.lock`);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already removed by another instance's sweep.
  }
}
