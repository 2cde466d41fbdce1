import type { BusMessage, DeadLetter } from '../../ports/index.ts';

/**
 * The queue's tables, beside the documents in the same file. A row of `bus_messages` is pending
 * (`lease_until` NULL, deliverable from `available_at`) or leased to one process (`lease_owner`,
 * with that process's pid and host so a restart can tell its dead predecessor's leases apart).
 * Acked messages are deleted; dead-lettered ones move to `bus_dead_letters` whole. Times are epoch ms.
 * `bus_key_heads` holds the oldest message of each (topic, ordering key), kept by triggers, so
 * finding what is deliverable reads the heads instead of scanning every message queued behind them.
 * The payload columns come last so scans over the small columns never read a large payload's
 * overflow pages (files made before this order still work: every query names its columns).
 */
export const BUS_SCHEMA = `
CREATE TABLE IF NOT EXISTS bus_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  topic TEXT NOT NULL,
  ordering_key TEXT,
  publish_time TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  lease_until INTEGER,
  lease_owner TEXT,
  lease_pid INTEGER,
  lease_host TEXT,
  last_error TEXT,
  attributes TEXT NOT NULL,
  data TEXT NOT NULL
);
-- No query reads messages by (topic, seq) alone: files made before this line lose that index.
DROP INDEX IF EXISTS bus_messages_topic;
CREATE INDEX IF NOT EXISTS bus_messages_key ON bus_messages (topic, ordering_key, seq)
  WHERE ordering_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS bus_messages_unkeyed ON bus_messages (seq) WHERE ordering_key IS NULL;
CREATE TABLE IF NOT EXISTS bus_key_heads (
  topic TEXT NOT NULL,
  ordering_key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (topic, ordering_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bus_key_heads_seq ON bus_key_heads (seq);
CREATE TRIGGER IF NOT EXISTS bus_key_head_on_insert AFTER INSERT ON bus_messages
  WHEN NEW.ordering_key IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO bus_key_heads (topic, ordering_key, seq) VALUES (NEW.topic, NEW.ordering_key, NEW.seq);
END;
CREATE TRIGGER IF NOT EXISTS bus_key_head_on_delete AFTER DELETE ON bus_messages
  WHEN OLD.ordering_key IS NOT NULL
BEGIN
  DELETE FROM bus_key_heads WHERE topic = OLD.topic AND ordering_key = OLD.ordering_key AND seq = OLD.seq;
  INSERT OR IGNORE INTO bus_key_heads (topic, ordering_key, seq)
    SELECT topic, ordering_key, seq FROM bus_messages
      WHERE topic = OLD.topic AND ordering_key = OLD.ordering_key ORDER BY seq LIMIT 1;
END;
CREATE TABLE IF NOT EXISTS bus_dead_letters (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  topic TEXT NOT NULL,
  message TEXT NOT NULL,
  last_error TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  dead_at TEXT NOT NULL
);
`;

/**
 * Fills `bus_key_heads` for a file whose messages were queued before the table existed (the
 * triggers keep it current from then on). Run once when the queue opens.
 */
export const BUS_KEY_HEADS_BACKFILL = `
INSERT OR IGNORE INTO bus_key_heads (topic, ordering_key, seq)
  SELECT topic, ordering_key, MIN(seq) FROM bus_messages WHERE ordering_key IS NOT NULL
    GROUP BY topic, ordering_key`;

export interface MessageRow {
  seq: number;
  id: string;
  topic: string;
  data: string;
  attributes: string;
  ordering_key: string | null;
  publish_time: string;
  attempts: number;
  available_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
}

export interface DeadLetterRow {
  id: string;
  topic: string;
  message: string;
  last_error: string;
  attempts: number;
  dead_at: string;
}

/** The message as a handler sees it; `attempts` already counts the delivery being made. */
export function rowToMessage(row: MessageRow): BusMessage {
  const message: BusMessage = {
    id: row.id,
    topic: row.topic,
    data: JSON.parse(row.data),
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    publishTime: row.publish_time,
    deliveryAttempt: row.attempts,
  };
  if (row.ordering_key !== null) message.orderingKey = row.ordering_key;
  return message;
}

export function rowToDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    topic: row.topic,
    message: JSON.parse(row.message) as BusMessage,
    lastError: row.last_error,
    attempts: row.attempts,
    deadAt: row.dead_at,
  };
}

/** A handler's error as stored with the message (bounded, as dead letters keep it). */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 8_000 ? `${text.slice(0, 8_000)}…` : text;
}
