import type { BusMessage, DeadLetter } from '../../ports/index.ts';

/**
 * The queue's tables, beside the documents in the same file. A row of `bus_messages` is pending
 * (`lease_until` NULL, deliverable from `available_at`) or leased to one process (`lease_owner`,
 * with that process's pid and host so a restart can tell its dead predecessor's leases apart).
 * Acked messages are deleted; dead-lettered ones move to `bus_dead_letters` whole. Times are epoch ms.
 */
export const BUS_SCHEMA = `
CREATE TABLE IF NOT EXISTS bus_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  topic TEXT NOT NULL,
  data TEXT NOT NULL,
  attributes TEXT NOT NULL,
  ordering_key TEXT,
  publish_time TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  lease_until INTEGER,
  lease_owner TEXT,
  lease_pid INTEGER,
  lease_host TEXT,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS bus_messages_topic ON bus_messages (topic, seq);
CREATE INDEX IF NOT EXISTS bus_messages_key ON bus_messages (topic, ordering_key, seq)
  WHERE ordering_key IS NOT NULL;
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
