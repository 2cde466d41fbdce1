import type { protos, v1 } from '@google-cloud/pubsub';
import { AppError } from '../../errors/index.ts';
import type { BusMessage, DeadLetter, DeadLetterQueue, EventPublisher } from '../../ports/index.ts';
import { subscriptionOfTopic, type TopicName } from '../../topology/index.ts';
import { toServiceError } from './grpc-errors.ts';

type Received = protos.google.pubsub.v1.IReceivedMessage;

export interface PubSubDeadLettersOptions {
  /** Made on first use: only the status API reads dead letters, the other functions never pay for it. */
  subscriber: () => v1.SubscriberClient;
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
  private client: v1.SubscriberClient | undefined;

  constructor(options: PubSubDeadLettersOptions) {
    this.options = options;
  }

  private get subscriber(): v1.SubscriberClient {
    this.client ??= this.options.subscriber();
    return this.client;
  }

  async close(): Promise<void> {
    await this.client?.close();
  }

  async listDeadLetters(options: { limit?: number; startAfterId?: string } = {}): Promise<DeadLetter[]> {
    if (options.startAfterId !== undefined) {
      throw new AppError(
        'bad_request',
        'Pub/Sub dead letters are listed in one page: there are no page tokens',
      );
    }
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const out: DeadLetter[] = [];
    for (const topic of this.options.topics) {
      const subscription = this.subscription(topic);
      const received = await this.pull(subscription, limit);
      await this.release(subscription, received);
      out.push(...received.map((r) => toDeadLetter(topic, r)));
    }
    return out.sort((a, b) => a.deadAt.localeCompare(b.deadAt)).slice(0, limit);
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    if (!id) return false;
    const maxScan = this.options.maxScan ?? 1000;
    for (const topic of this.options.topics) {
      const subscription = this.subscription(topic);
      // Held (not released) until the scan ends, so each pull returns messages not seen yet.
      const held: Received[] = [];
      let found: Received | undefined;
      try {
        while (!found && held.length < maxScan) {
          const batch = await this.pull(subscription, Math.min(100, maxScan - held.length));
          if (batch.length === 0) break;
          found = batch.find((r) => r.message?.messageId === id);
          held.push(...batch.filter((r) => r !== found));
        }
        if (!found) continue;
        const letter = toDeadLetter(topic, found);
        // Until acknowledged it goes back with the others: a failed replay leaves it listed at once.
        held.push(found);
        await this.options.publisher.publish(topic, letter.message.data, {
          attributes: letter.message.attributes,
          ...(letter.message.orderingKey ? { orderingKey: letter.message.orderingKey } : {}),
        });
        await this.call('acknowledge', () =>
          this.subscriber.acknowledge({ subscription, ackIds: [found?.ackId ?? ''] }),
        );
        held.pop();
        return true;
      } finally {
        await this.release(subscription, held);
      }
    }
    return false;
  }

  private subscription(topic: TopicName): string {
    const name = `${this.options.topicPrefix ?? ''}${subscriptionOfTopic(topic).deadLetterSubscription}`;
    return `projects/${this.options.projectId}/subscriptions/${name}`;
  }

  private async pull(subscription: string, maxMessages: number): Promise<Received[]> {
    const [response] = await this.call('pull', () => this.subscriber.pull({ subscription, maxMessages }));
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
    await this.call('modifyAckDeadline', () =>
      this.subscriber.modifyAckDeadline({ subscription, ackIds, ackDeadlineSeconds: 0 }),
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
