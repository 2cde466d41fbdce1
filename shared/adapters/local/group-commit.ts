import type { DatabaseSync } from 'node:sqlite';
import { writeTransaction } from './sqlite-database.ts';

interface Pending {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: write operations requested during one event-loop turn share one SQLite transaction,
 * each inside its own savepoint, so one failing operation rolls back only itself. A promise resolves
 * only after the transaction committed, so a caller that answers "accepted" afterwards has its write
 * on disk (WAL) before it says so. Under load this turns N commits into one.
 */
export class GroupCommit {
  private readonly db: DatabaseSync;
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  run<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ op, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Joins the transaction of the operations already waiting this turn, or, with none waiting, runs
   * `op` in a transaction of its own at once (no wait for the next turn).
   */
  runNowOrJoin<T>(op: () => T): Promise<T> {
    if (this.pending.length > 0) return this.run(op);
    try {
      return Promise.resolve(writeTransaction(this.db, op));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Writes everything requested so far now (also used before closing the database). */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      // Alone in its transaction: a failure rolls back only itself without a savepoint.
      const [only] = batch as [Pending];
      try {
        only.resolve(writeTransaction(this.db, only.op));
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      writeTransaction(this.db, () => {
        for (const { op } of batch) {
          this.db.exec('SAVEPOINT group_op');
          try {
            outcomes.push({ ok: true, value: op() });
            this.db.exec('RELEASE group_op');
          } catch (error) {
            this.db.exec('ROLLBACK TO group_op');
            this.db.exec('RELEASE group_op');
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) p.resolve(outcome.value);
      else p.reject(outcome?.error);
    });
  }
}
