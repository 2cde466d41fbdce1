import type { DocData } from './state-store.ts';

/**
 * Event bus port (Pub/Sub's model): publish JSON with string attributes and an ordering key;
 * delivery is at-least-once, in order per ordering key, retried with exponential backoff, and
 * dead-lettered after a bounded number of attempts. The topics, who publishes and who consumes
 * each, are declared once in shared/topology.
 */
export { TOPICS } from '../topology/topics.ts';

export interface PublishOptions {
  attributes?: Record<string, string>;
  orderingKey?: string;
}

export interface BusMessage<T = unknown> {
  id: string;
  topic: string;
  data: T;
  attributes: Record<string, string>;
  orderingKey?: string;
  publishTime: string;
  /** 1 on first delivery. */
  deliveryAttempt: number;
  /**
   * False when the deliverer does not say which attempt this is: Pub/Sub push envelopes carry
   * `deliveryAttempt` only from a subscription with a dead-letter policy, the Pub/Sub emulator's and
   * Eventarc's CloudEvents never. `deliveryAttempt` is then 1 on every delivery, and a handler that
   * needs the count keeps its own (the sync worker counts an operation's attempts).
   */
  deliveryAttemptKnown?: false;
  /**
   * The attempt whose failure sends the message to the dead letters, when the deliverer knows it
   * (the embedded bus's retry policy; on GCP the push subscription's max_delivery_attempts, which
   * shared/topology declares). A handler failing on that attempt can say it gave up.
   */
  maxDeliveryAttempts?: number;
}

/** Resolve = ack. Throw = nack (redelivered after backoff, dead-lettered after the last attempt). */
export type MessageHandler = (message: BusMessage) => Promise<void>;

/** A state document written together with a message (see EventPublisher.publishIfCreated). */
export interface OutboxRecord {
  collection: string;
  id: string;
  /** The document, given the id the message gets. */
  data: (messageId: string) => DocData;
  expireAt?: Date;
}

export interface EventPublisher {
  /** Durable when the promise resolves. Returns the message id. */
  publish(topic: string, data: unknown, options?: PublishOptions): Promise<string>;
  /**
   * Optional, where documents and messages share one store (a transactional outbox): creates the
   * document if absent and only then publishes, both or neither, durable when the promise resolves.
   * Returns the message id, or undefined when the document existed (nothing published).
   */
  publishIfCreated?(
    record: OutboxRecord,
    topic: string,
    data: unknown,
    options?: PublishOptions,
  ): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface DeadLetter {
  id: string;
  topic: string;
  message: BusMessage;
  lastError: string;
  attempts: number;
  deadAt: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Messages that failed every delivery attempt, and putting one back on its topic: the embedded
 * bus's own table, or on GCP the Pub/Sub dead-letter subscriptions.
 */
export interface DeadLetterQueue {
  /** False when listing has no pages (Pub/Sub hands out a sample): one page, no page tokens. */
  readonly pageable?: boolean;
  listDeadLetters(options?: { limit?: number; startAfterId?: string }): Promise<DeadLetter[]>;
  /** Puts a dead-lettered message back on its topic with a fresh attempt count; false if unknown. */
  replayDeadLetter(id: string): Promise<boolean>;
}

/** The delivering side, implemented by the embedded queue (on GCP, Pub/Sub push does this). */
export interface EventBus extends EventPublisher, DeadLetterQueue {
  subscribe(topic: string, handler: MessageHandler): void;
  /** Starts delivering (recovers messages a crashed process left in flight). */
  start(): void;
  /** Stops taking new messages; waits up to `graceMs` for in-flight ones (the rest stay redeliverable). */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when nothing is deliverable now or in flight (tests wait on this, never on sleeps). */
  idle(): Promise<void>;
  /** Counts for health: pending, in flight, dead. */
  stats(): Promise<{ pending: number; inFlight: number; dead: number }>;
  /** Per topic, for the queue gauges: waiting messages, the oldest one's publish time, dead letters. */
  topicStats?(): Promise<TopicStats[]>;
}

export interface TopicStats {
  topic: string;
  /** Messages not yet acknowledged (in flight included). */
  depth: number;
  /** ISO time; null when none waits. */
  oldestPublishTime: string | null;
  dead: number;
}
