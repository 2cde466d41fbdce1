import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter, once } from 'node:events';
import type { DatabaseSync } from 'node:sqlite';
import type { Logger } from '../../logging/index.ts';
import type {
  BusMessage,
  DeadLetter,
  EventBus,
  MessageHandler,
  OutboxRecord,
  PublishOptions,
  RetryPolicy,
  TopicStats,
} from '../../ports/index.ts';
import { backoffDelay, resolveRetryPolicy } from './backoff.ts';
import { BusLeases } from './bus-leases.ts';
import { BusQueue } from './bus-queue.ts';
import { errorText, type MessageRow, rowToMessage } from './bus-schema.ts';
import { DocTable, encodeData } from './doc-table.ts';
import { DueWaker } from './due-waker.ts';
import { GroupCommit } from './group-commit.ts';
import { openSqliteDatabase } from './sqlite-database.ts';
import type { SqliteEventBusOptions } from './sqlite-event-bus-options.ts';
import { timeOrderedId } from './time-ordered-id.ts';

export type { SqliteEventBusOptions };

/**
 * The event bus port as a durable queue in SQLite, delivering in-process: at-least-once, in order per
 * (topic, ordering key), exponential backoff on a thrown handler, dead letter after the last attempt.
 * Every handler subscribed to a topic sees each message; the message is acked only if all succeed.
 */
export class SqliteEventBus implements EventBus {
  private readonly db: DatabaseSync;
  private readonly group: GroupCommit;
  private readonly queue: BusQueue;
  private readonly now: () => Date;
  /** The state store's document table, for publishIfCreated (made on first use). */
  private docs: DocTable | undefined;
  private readonly policy: RetryPolicy;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly logger: Logger | undefined;
  /** Who this instance is to the leases, and their renewal (see BusLeases). */
  private readonly leases: BusLeases;
  private readonly handlers = new Map<string, MessageHandler[]>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Handled successfully, deleted by the next dispatch pass (in its claim transaction); still in flight. */
  private acked: string[] = [];
  /** Wakes the dispatcher when a backing-off or foreign-leased message becomes due. */
  private readonly due: DueWaker;
  /** Deliveries still running when stop()'s grace ran out: their outcome is ignored, their lease kept. */
  private readonly abandoned = new Set<string>();
  private readonly events = new EventEmitter().setMaxListeners(0);
  private running = false;
  private closed = false;
  private pumpQueued = false;
  /** A claim is running (it may be waiting for the turn's group commit). */
  private claiming = false;
  /** The claim in progress (stop() waits for it: it holds acknowledgements not yet written). */
  private claim: Promise<void> = Promise.resolve();
  private pumpAgain = false;
  private pollTimer: NodeJS.Timeout | undefined;
  /**
   * Runs a pass in the async context the bus was made in: a pass started by a publish inside a
   * handler must not hand that handler's log scope (its trace and operation ids) to the next
   * messages it delivers.
   */
  private readonly detached = AsyncLocalStorage.snapshot();

  constructor(options: SqliteEventBusOptions) {
    this.db = openSqliteDatabase(options.file, { autoCheckpointPages: options.autoCheckpointPages });
    this.group = new GroupCommit(this.db);
    this.now = options.now ?? (() => new Date());
    this.queue = new BusQueue(this.db, this.now);
    this.policy = resolveRetryPolicy(options.retry);
    this.concurrency = options.concurrency ?? 4;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.logger = options.logger;
    this.leases = new BusLeases({
      file: options.file,
      queue: this.queue,
      leaseMs: this.leaseMs,
      logger: this.logger,
    });
    this.due = new DueWaker(
      () => this.queue.nextDueAt(this.topics(), [...this.inFlight.keys()]),
      () => this.schedulePump(),
    );
  }

  async publish(topic: string, data: unknown, options?: PublishOptions): Promise<string> {
    const id = this.queue.insert(topic, data, options);
    this.schedulePump();
    return id;
  }

  /** The document goes to the state store's table in this file, in the message's transaction. */
  async publishIfCreated(
    record: OutboxRecord,
    topic: string,
    data: unknown,
    options?: PublishOptions,
  ): Promise<string | undefined> {
    this.docs ??= new DocTable(this.db, this.now);
    const docs = this.docs;
    const id = timeOrderedId();
    const json = encodeData(record.collection, record.id, record.data(id));
    const created = await this.group.run(() => {
      if (!docs.create(record.collection, record.id, json, { expireAt: record.expireAt })) return false;
      this.queue.insert(topic, data, options, id);
      return true;
    });
    if (!created) return undefined;
    this.schedulePump();
    return id;
  }

  subscribe(topic: string, handler: MessageHandler): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
    this.schedulePump();
  }

  start(): void {
    if (this.running || this.closed) return;
    this.running = true;
    this.leases.start(() => [...this.inFlight.keys()]);
    this.due.markStale();
    this.pollTimer = setInterval(() => {
      // Another process may have published, or leased, backed off or died (a holder killed a moment
      // after this start, or while this instance runs, is noticed here rather than a lease later).
      this.leases.releaseGone();
      this.due.markStale();
      this.schedulePump();
    }, this.pollIntervalMs).unref();
    this.schedulePump();
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    clearInterval(this.pollTimer);
    this.due.stop();
    // A claim waiting for this turn's group commit carries acknowledgements: let it write them (it
    // leases nothing new now that the bus is stopped) before the rest are flushed.
    await this.claim;
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.inFlight.values()]), grace]);
      clearTimeout(timer);
    }
    this.flushAcks();
    for (const id of this.inFlight.keys()) this.abandoned.add(id);
    if (this.abandoned.size > 0) {
      this.logger?.warn('bus stopped with deliveries still running; they will be redelivered', {
        abandoned: this.abandoned.size,
      });
    }
    this.inFlight.clear();
    this.leases.stopRenewing();
    this.events.emit('settled');
  }

  async idle(): Promise<void> {
    for (;;) {
      if (
        this.inFlight.size === 0 &&
        (!this.running || !this.queue.hasDeliverable(this.topics(), [...this.abandoned]))
      )
        return;
      await once(this.events, 'settled');
    }
  }

  async listDeadLetters(options: { limit?: number; startAfterId?: string } = {}): Promise<DeadLetter[]> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    return this.queue.listDeadLetters(limit, options.startAfterId);
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    const replayed = this.queue.replay(id);
    if (replayed) {
      this.due.markStale();
      this.schedulePump();
    }
    return replayed;
  }

  async stats(): Promise<{ pending: number; inFlight: number; dead: number }> {
    return this.queue.stats();
  }

  async topicStats(): Promise<TopicStats[]> {
    return this.queue.topicStats();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop();
    this.group.flush();
    this.closed = true;
    // Deliveries abandoned by stop() keep their leases (see BusLeases.release).
    this.leases.release(this.abandoned.size > 0);
    this.db.close();
  }

  private topics(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Coalesces wake-ups (publishes, completions, timers) into one pass per event-loop turn: the
   * requests and completions of a turn share one claim, and pending I/O (the HTTP server on the same
   * loop) runs between passes instead of waiting behind a chain of deliveries. The claim joins the
   * transaction of publishes waiting in the same turn (group commit), so under load acknowledging,
   * claiming and accepting new messages cost one commit, not one each.
   */
  private schedulePump(): void {
    if (!this.running || this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() =>
      this.detached(() => {
        this.pumpQueued = false;
        this.pump();
      }),
    );
  }

  private pump(): void {
    if (!this.running || this.closed) return;
    if (this.claiming) {
      this.pumpAgain = true; // one claim at a time; look again once it is done
      return;
    }
    const acked = this.acked;
    this.acked = [];
    const free = this.concurrency - (this.inFlight.size - acked.length);
    this.claiming = true;
    this.claim = this.group
      .runNowOrJoin(() =>
        this.queue.claimWithin({
          acked,
          topics: this.topics(),
          busy: [...this.inFlight.keys(), ...this.abandoned],
          // Stopped meanwhile: only record the acknowledgements, lease nothing new.
          limit: this.running ? free : 0,
          holder: this.leases.holder,
          leaseMs: this.leaseMs,
          maxAttempts: this.policy.maxAttempts,
        }),
      )
      .then(
        (result) => {
          try {
            this.dispatch(acked, result);
          } catch (err) {
            this.logger?.error('bus dispatch failed', { error: err });
          }
        },
        (err: unknown) => {
          // e.g. the file stayed locked past busy_timeout: acknowledge them with the next pass.
          this.acked = acked.concat(this.acked);
          this.logger?.error('bus dispatch failed', { error: err });
        },
      )
      .finally(() => {
        this.claiming = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.schedulePump();
        }
      });
  }

  private dispatch(acked: string[], result: { claimed: MessageRow[]; deadLettered: number }): void {
    for (const id of acked) this.inFlight.delete(id);
    if (!this.running || this.closed) {
      // Stopped between the claim and now: hand the leases back instead of delivering.
      if (result.claimed.length > 0 && !this.closed) {
        this.queue.unclaim(
          result.claimed.map((r) => r.id),
          this.leases.holder.owner,
        );
      }
      this.events.emit('settled');
      return;
    }
    for (const row of result.claimed) {
      const message = { ...rowToMessage(row), maxDeliveryAttempts: this.policy.maxAttempts };
      this.inFlight.set(message.id, this.deliver(message));
    }
    // A dead-lettered head of an ordering key unblocks the next message of that key.
    if (result.deadLettered > 0) {
      this.due.markStale();
      this.schedulePump();
    }
    this.due.refresh(this.inFlight.size === 0);
    this.events.emit('settled');
  }

  /** Deletes acknowledged messages now (stop() does, since no further pass will). */
  private flushAcks(): void {
    const acked = this.acked;
    this.acked = [];
    try {
      this.queue.ack(acked);
    } catch (err) {
      // Their leases run out and they are delivered again.
      this.logger?.error('could not record delivery outcomes', { count: acked.length, error: err });
    }
    for (const id of acked) this.inFlight.delete(id);
  }

  private async deliver(message: BusMessage): Promise<void> {
    let failure: unknown;
    try {
      await Promise.resolve(); // handlers start after the dispatch pass that claimed them
      for (const handler of this.handlers.get(message.topic) ?? []) await handler(message);
    } catch (err) {
      failure = err;
    }
    if (this.abandoned.delete(message.id) || this.closed) return;
    if (failure === undefined) {
      // Deleted by the next pass, in the same transaction that claims the next message of its key.
      this.acked.push(message.id);
      this.schedulePump();
      return;
    }
    try {
      const last = message.deliveryAttempt >= this.policy.maxAttempts;
      const delay = last ? undefined : backoffDelay(message.deliveryAttempt, this.policy);
      this.queue.nack(message.id, this.leases.holder.owner, errorText(failure), delay);
      this.logger?.warn(last ? 'message dead-lettered' : 'message handler failed; will retry', {
        topic: message.topic,
        messageId: message.id,
        deliveryAttempt: message.deliveryAttempt,
        error: failure,
      });
    } catch (err) {
      // The lease runs out and the message is delivered again.
      this.logger?.error('could not record a delivery outcome', { messageId: message.id, error: err });
    }
    this.inFlight.delete(message.id);
    this.due.markStale();
    this.schedulePump();
    this.events.emit('settled');
  }
}
