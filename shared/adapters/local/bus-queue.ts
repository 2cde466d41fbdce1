import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { checkMessageSize, type DeadLetter, type PublishOptions } from '../../ports/index.ts';
import { deliverableQuery, nextDueQuery } from './bus-queries.ts';
import {
  BUS_KEY_HEADS_BACKFILL,
  BUS_SCHEMA,
  type DeadLetterRow,
  type MessageRow,
  rowToDeadLetter,
  rowToMessage,
} from './bus-schema.ts';
import { writeTransaction } from './sqlite-database.ts';
import { timeOrderedId } from './time-ordered-id.ts';

export interface LeaseHolder {
  /** Unique per bus instance. */
  owner: string;
  pid: number;
  host: string;
}

export interface ClaimRequest {
  /** Messages this process finished: deleted first, so the next message of their key can be claimed. */
  acked: string[];
  topics: string[];
  /** Ids this process holds (or abandoned); never claimed again here. */
  busy: string[];
  limit: number;
  holder: LeaseHolder;
  leaseMs: number;
  maxAttempts: number;
}

/** The queue's SQL, synchronous; the dispatcher in sqlite-event-bus.ts decides when to call it. */
export class BusQueue {
  private readonly db: DatabaseSync;
  private readonly now: () => Date;
  private readonly statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync, now: () => Date) {
    this.db = db;
    this.now = now;
    db.exec(BUS_SCHEMA);
    db.exec(BUS_KEY_HEADS_BACKFILL);
  }

  insert(topic: string, data: unknown, options: PublishOptions = {}, id: string = timeOrderedId()): string {
    const json = JSON.stringify(data ?? null);
    checkMessageSize(topic, json, options);
    this.sql(
      `INSERT INTO bus_messages (id, topic, data, attributes, ordering_key, publish_time, available_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      topic,
      json,
      JSON.stringify(options.attributes ?? {}),
      options.orderingKey || null,
      this.now().toISOString(),
      Date.now(),
    );
    return id;
  }

  /**
   * Deletes the `acked` messages, then leases up to `limit` deliverable messages (oldest first; per
   * ordering key only the oldest one), in one transaction. A message whose lease ran out after its
   * last allowed attempt is dead-lettered instead: the process holding it died or never finished,
   * `maxAttempts` times.
   */
  claim(request: ClaimRequest): { claimed: MessageRow[]; deadLettered: number } {
    return writeTransaction(this.db, () => this.claimWithin(request));
  }

  /** claim() inside a write transaction the caller already holds (a group commit's). */
  claimWithin(request: ClaimRequest): { claimed: MessageRow[]; deadLettered: number } {
    const { acked, topics, busy, limit, holder, leaseMs, maxAttempts } = request;
    {
      if (acked.length > 0) this.deleteMany(acked);
      if (limit <= 0) return { claimed: [], deadLettered: 0 };
      const now = Date.now();
      const deliverable = deliverableQuery(topics, busy, now, limit);
      const rows = this.sql(deliverable.sql).all(deliverable.params) as unknown as MessageRow[];
      const claimed: MessageRow[] = [];
      let deadLettered = 0;
      const lease = this.sql(
        `UPDATE bus_messages SET attempts = attempts + 1, lease_until = ?, lease_owner = ?, lease_pid = ?,
           lease_host = ? WHERE id = ?`,
      );
      for (const row of rows) {
        if (row.lease_until !== null && row.attempts >= maxAttempts) {
          this.moveToDeadLetters(row, row.last_error ?? 'Lease expired: the handler never finished');
          deadLettered++;
          continue;
        }
        lease.run(now + leaseMs, holder.owner, holder.pid, holder.host, row.id);
        claimed.push({
          ...row,
          attempts: row.attempts + 1,
          lease_until: now + leaseMs,
          lease_owner: holder.owner,
        });
      }
      return { claimed, deadLettered };
    }
  }

  hasDeliverable(topics: string[], busy: string[]): boolean {
    const deliverable = deliverableQuery(topics, busy, Date.now(), 1);
    return this.sql(deliverable.sql).get(deliverable.params) !== undefined;
  }

  /**
   * Earliest future instant at which a backing-off message or someone else's lease becomes due (only
   * heads and unkeyed messages can be: the rest wait for their head).
   */
  nextDueAt(topics: string[], busy: string[]): number | undefined {
    const nextDue = nextDueQuery(topics, busy);
    const row = this.sql(nextDue.sql).get(nextDue.params) as { due: number | null };
    return row.due ?? undefined;
  }

  /** Deletes acknowledged messages (one transaction). */
  ack(ids: string[]): void {
    if (ids.length > 0) writeTransaction(this.db, () => this.deleteMany(ids));
  }

  private deleteMany(ids: string[]): void {
    this.sql('DELETE FROM bus_messages WHERE id IN (SELECT value FROM json_each(?))').run(
      JSON.stringify(ids),
    );
  }

  /** Schedules the next attempt after `delayMs`, or dead-letters after the last one. Only the holder may. */
  nack(id: string, owner: string, error: string, delayMs: number | undefined): void {
    writeTransaction(this.db, () => {
      const row = this.sql('SELECT * FROM bus_messages WHERE id = ? AND lease_owner = ?').get(id, owner) as
        | MessageRow
        | undefined;
      if (!row) return;
      if (delayMs === undefined) {
        this.moveToDeadLetters(row, error);
        return;
      }
      this.sql(
        `UPDATE bus_messages SET lease_until = NULL, lease_owner = NULL, lease_pid = NULL, lease_host = NULL,
             available_at = ?, last_error = ? WHERE id = ?`,
      ).run(Date.now() + delayMs, error, id);
    });
  }

  /** Gives back leases taken by a claim whose messages were never delivered (the attempt does not count). */
  unclaim(ids: string[], owner: string): void {
    this.sql(
      `UPDATE bus_messages SET attempts = MAX(attempts - 1, 0), lease_until = NULL, lease_owner = NULL,
           lease_pid = NULL, lease_host = NULL WHERE lease_owner = ? AND id IN (SELECT value FROM json_each(?))`,
    ).run(owner, JSON.stringify(ids));
  }

  renewLeases(ids: string[], owner: string, leaseMs: number): void {
    this.sql(
      `UPDATE bus_messages SET lease_until = ? WHERE lease_owner = ?
           AND id IN (SELECT value FROM json_each(?))`,
    ).run(Date.now() + leaseMs, owner, JSON.stringify(ids));
  }

  /**
   * Makes the leases of holders that are gone due now, so what a crashed instance held is redelivered
   * without waiting for its lease to run out. Returns how many messages were released.
   */
  releaseDeadHolders(holder: LeaseHolder, isGone: (lease: LeaseHolder) => boolean): number {
    const holders = this.sql(
      `SELECT DISTINCT lease_owner AS owner, lease_pid AS pid, lease_host AS host FROM bus_messages
         WHERE lease_until > ? AND lease_owner != ?`,
    ).all(Date.now(), holder.owner) as unknown as LeaseHolder[];
    let released = 0;
    for (const lease of holders) {
      if (!isGone(lease)) continue;
      const result = this.sql(
        'UPDATE bus_messages SET lease_until = 0 WHERE lease_until IS NOT NULL AND lease_owner = ?',
      ).run(lease.owner);
      released += Number(result.changes);
    }
    return released;
  }

  listDeadLetters(limit: number, startAfterId?: string): DeadLetter[] {
    const rows = (startAfterId === undefined
      ? this.sql('SELECT * FROM bus_dead_letters ORDER BY seq LIMIT ?').all(limit)
      : this.db
          .prepare(
            `SELECT * FROM bus_dead_letters
               WHERE seq > (SELECT seq FROM bus_dead_letters WHERE id = ?) ORDER BY seq LIMIT ?`,
          )
          .all(startAfterId, limit)) as unknown as DeadLetterRow[];
    return rows.map(rowToDeadLetter);
  }

  /** Puts a dead letter back at the end of its topic (and ordering key) with no attempts counted. */
  replay(id: string): boolean {
    return writeTransaction(this.db, () => {
      const row = this.sql('SELECT * FROM bus_dead_letters WHERE id = ?').get(id) as
        | DeadLetterRow
        | undefined;
      if (!row) return false;
      const message = rowToDeadLetter(row).message;
      this.sql('DELETE FROM bus_dead_letters WHERE id = ?').run(id);
      this.sql(
        `INSERT OR IGNORE INTO bus_messages
             (id, topic, data, attributes, ordering_key, publish_time, available_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        message.id,
        message.topic,
        JSON.stringify(message.data ?? null),
        JSON.stringify(message.attributes),
        message.orderingKey ?? null,
        message.publishTime,
        Date.now(),
      );
      return true;
    });
  }

  stats(): { pending: number; inFlight: number; dead: number } {
    const now = Date.now();
    const counts = this.sql(
      `SELECT
           (SELECT COUNT(*) FROM bus_messages WHERE lease_until IS NULL OR lease_until <= ?) AS pending,
           (SELECT COUNT(*) FROM bus_messages WHERE lease_until > ?) AS inFlight,
           (SELECT COUNT(*) FROM bus_dead_letters) AS dead`,
    ).get(now, now) as { pending: number; inFlight: number; dead: number };
    return { pending: counts.pending, inFlight: counts.inFlight, dead: counts.dead };
  }

  /** Per topic: messages waiting (in flight included), the oldest one's publish time, dead letters. */
  topicStats(): Array<{ topic: string; depth: number; oldestPublishTime: string | null; dead: number }> {
    return this.sql(
      `SELECT topic, SUM(depth) AS depth, MIN(oldest) AS oldestPublishTime, SUM(dead) AS dead FROM (
         SELECT topic, COUNT(*) AS depth, MIN(publish_time) AS oldest, 0 AS dead FROM bus_messages GROUP BY topic
         UNION ALL
         SELECT topic, 0, NULL, COUNT(*) FROM bus_dead_letters GROUP BY topic)
       GROUP BY topic ORDER BY topic`,
    ).all() as Array<{ topic: string; depth: number; oldestPublishTime: string | null; dead: number }>;
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private moveToDeadLetters(row: MessageRow, error: string): void {
    this.sql(
      `INSERT OR REPLACE INTO bus_dead_letters (id, topic, message, last_error, attempts, dead_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      row.id,
      row.topic,
      JSON.stringify(rowToMessage(row)),
      error,
      row.attempts,
      this.now().toISOString(),
    );
    this.sql('DELETE FROM bus_messages WHERE id = ?').run(row.id);
  }
}
