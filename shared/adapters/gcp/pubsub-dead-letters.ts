import type { protos, v1 } from '@google-cloud/pubsub';
import { AppError } from '../../errors/index.ts';
import type { BusMessage, DeadLetter, DeadLetterQueue, EventPublisher } from '../../ports/index.ts';
import { subscriptionOfTopic, type TopicName } from '../../topology/index.ts';
import { toServiceError } from './grpc-errors.ts';

type Received = protos.google.pubsub.v1.IReceivedMessage;

export interface PubSubDeadLettersOptions {
  /** Made on first use: only the status API reads dead letters, the other functions never pay for it. */
  subscriber: () => v1.SubscriberClient | Promise<v1.SubscriberClient>;
  projectId: string;
  /** BRIDGE_TOPIC_PREFIX. */
  topicPrefix?: string;
  /** Topics whose push subscription dead-letters (the pull subscription's name is shared/topology's). */
  topics: readonly TopicName[];
  /** Where a replayed message goes back to its topic (the same publisher the functions use). */
  publisher: EventPublisher;
  /** Most dead letters one replay looks through per topic before it says "not found" (default 1000). */
  maxScan?: number;
}

/** Attributes Pub/Sub adds when it forwards a message to a dead-letter topic. */
const DEAD_LETTER_ATTRIBUTE = /^CloudPubSubDeadLetter/;

/**
 * Deadline of one pull. Pub/Sub holds a synchronous pull on an empty subscription open for a long
 * while (about a minute) unless `returnImmediately` is set, which it still honours although it calls
 * the flag discouraged for throughput: here an answer in a second matters more than a full batch.
 */
const PULL_DEADLINE_MS = 1_000;

/**
 * The dead letters of the GCP deployment: Pub/Sub's dead-letter subscriptions, read with synchronous
 * pull. Listing pulls and at once releases what it pulled (ack deadline 0), so it hides nothing; Pub/Sub
 * hands out an arbitrary sample, so there are no page tokens. Replaying publishes the message back to
 * its topic (same data, attributes and ordering key), then acknowledges the dead letter; if that
 * acknowledgement is lost, the message is listed again and a second replay would deliver it twice
 * (the worker's handlers are idempotent). Pub/Sub keeps no error text: the function logs have it.
 */
export class PubSubDeadLetters implements DeadLetterQueue {
  readonly pageable = false;
  private readonly options: PubSubDeadLettersOptions;
  private client: Promise<v1.SubscriberClient> | undefined;

  constructor(options: PubSubDeadLettersOptions) {
    this.options = options;
  }

  private subscriber(): Promise<v1.SubscriberClient> {
    this.client ??= Promise.resolve(this.options.subscriber());
    return this.client;
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    await client?.close();
  }

  async listDeadLetters(options: { limit?: number; startAfterId?: string } = {}): Promise<DeadLetter[]> {
    if (options.startAfterId !== undefined) {
      throw new AppError(
        'bad_request',
        'Pub/Sub dead letters are listed in one page: there are no page tokens',
      );
    }
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    // Every subscription at once: the answer takes one round trip, not one per topic.
    const perTopic = await Promise.all(
      this.options.topics.map(async (topic) => {
        const subscription = this.subscription(topic);
        const received = await this.pull(subscription, limit);
        await this.release(subscription, received);
        return received.map((r) => toDeadLetter(topic, r));
      }),
    );
    return perTopic
      .flat()
      .sort((a, b) => a.deadAt.localeCompare(b.deadAt))
      .slice(0, limit);
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    if (!id) return false;
    // Message ids are unique, so at most one subscription holds it: look in all of them at once.
    const state = { found: false };
    const replayed = await Promise.all(this.options.topics.map((topic) => this.replayFrom(topic, id, state)));
    return replayed.some(Boolean);
  }

  /** Looks for `id` on one topic's dead-letter subscription and replays it; stops once any scan found it. */
  private async replayFrom(topic: TopicName, id: string, state: { found: boolean }): Promise<boolean> {
    const maxScan = this.options.maxScan ?? 1000;
    const subscription = this.subscription(topic);
    // Held (not released) until the scan ends, so each pull returns messages not seen yet.
    const held: Received[] = [];
    let found: Received | undefined;
    try {
      while (!found && !state.found && held.length < maxScan) {
        const batch = await this.pull(subscription, Math.min(100, maxScan - held.length));
        if (batch.length === 0) break;
        found = batch.find((r) => r.message?.messageId === id);
        held.push(...batch.filter((r) => r !== found));
      }
      if (!found) return false;
      state.found = true;
      const letter = toDeadLetter(topic, found);
      // Until acknowledged it goes back with the others: a failed replay leaves it listed at once.
      held.push(found);
      await this.options.publisher.publish(topic, letter.message.data, {
        attributes: letter.message.attributes,
        ...(letter.message.orderingKey ? { orderingKey: letter.message.orderingKey } : {}),
      });
      const ackId = found.ackId ?? '';
      await this.call('acknowledge', async () =>
        (await this.subscriber()).acknowledge({ subscription, ackIds: [ackId] }),
      );
      held.pop();
      return true;
    } finally {
      await this.release(subscription, held);
    }
  }

  private subscription(topic: TopicName): string {
    const name = `${this.options.topicPrefix ?? ''}${subscriptionOfTopic(topic).deadLetterSubscription}`;
    return `projects/${this.options.projectId}/subscriptions/${name}`;
  }

  private async pull(subscription: string, maxMessages: number): Promise<Received[]> {
    const [response] = await this.call('pull', async () =>
      (await this.subscriber()).pull(
        { subscription, maxMessages, returnImmediately: true },
        { timeout: PULL_DEADLINE_MS },
      ),
    );
    return response.receivedMessages ?? [];
  }

  /**
   * Makes pulled messages available again at once (ack deadline 0). Best effort: if Pub/Sub cannot be
   * told, they come back by themselves when the subscription's ack deadline (60 s) runs out, and the
   * listing or replay that pulled them still answers.
   */
  private async release(subscription: string, received: readonly Received[]): Promise<void> {
    const ackIds = received.map((r) => r.ackId).filter((a): a is string => Boolean(a));
    if (ackIds.length === 0) return;
    await this.call('modifyAckDeadline', async () =>
      (await this.subscriber()).modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds: 0 }),
    ).catch(() => undefined);
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const mapped = toServiceError(err, `Pub/Sub ${what} on a dead-letter subscription`);
      if (mapped.code !== 'not_found') throw mapped;
      throw new AppError(
        'unavailable',
        `${mapped.message} (terraform/pubsub.tf creates one per topic of shared/topology)`,
        {
          cause: err,
        },
      );
    }
  }
}

function toDeadLetter(topic: TopicName, received: Received): DeadLetter {
  const m = received.message ?? {};
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.attributes ?? {})) {
    if (!DEAD_LETTER_ATTRIBUTE.test(k)) attributes[k] = v;
  }
  const attempts = Number(m.attributes?.CloudPubSubDeadLetterSourceDeliveryCount ?? 0) || 0;
  const deadAt = timestamp(m.publishTime);
  const originalTime = m.attributes?.CloudPubSubDeadLetterSourceTopicPublishTime;
  const message: BusMessage = {
    id: m.messageId ?? '',
    topic,
    data: decode(m.data),
    attributes,
    publishTime: originalTime ? new Date(originalTime).toISOString() : deadAt,
    deliveryAttempt: attempts,
  };
  if (m.orderingKey) message.orderingKey = m.orderingKey;
  return {
    id: message.id,
    topic,
    message,
    lastError: 'Pub/Sub keeps no error text: look for this message in the function logs',
    attempts,
    deadAt,
  };
}

function decode(data: Uint8Array | string | null | undefined): unknown {
  const text =
    typeof data === 'string'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data ?? []).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text; // not something the bridge published: shown (and replayed) as text
  }
}

function timestamp(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string {
  const ms = Number(ts?.seconds ?? 0) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);
  return new Date(ms).toISOString();
}
