import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { Logger } from '../../logging/index.ts';
import { checkMessageSize, type EventPublisher, type PublishOptions } from '../../ports/index.ts';
import { toServiceError } from './grpc-errors.ts';

type TopicOptions = NonNullable<Parameters<PubSub['topic']>[1]>;

export interface PubSubPublisherOptions {
  pubsub: PubSub;
  /** Prepended to every topic name (BRIDGE_TOPIC_PREFIX), e.g. `staging-` → `staging-github-events`. */
  topicPrefix?: string;
  /**
   * How long a message may wait for others to share its Publish call. Webhook handlers wait for the
   * publish before answering, so this is latency on that path: keep it a few milliseconds.
   */
  maxBatchMilliseconds?: number;
  /** Call options for Publish (retry and timeout); the client's defaults retry UNAVAILABLE and friends. */
  gaxOpts?: TopicOptions['gaxOpts'];
  /** Whether close() also closes the PubSub client (default true). */
  ownsClient?: boolean;
  logger?: Logger;
}

/**
 * The publishing half of the event bus on Pub/Sub. Data is JSON; ordering keys are honoured
 * (message ordering enabled on each topic's publisher; subscriptions must enable ordering too).
 * Resolves only once Pub/Sub has acknowledged the message, so it is durable when the promise resolves.
 */
export class PubSubPublisher implements EventPublisher {
  private readonly pubsub: PubSub;
  private readonly prefix: string;
  private readonly topicOptions: TopicOptions;
  private readonly ownsClient: boolean;
  private readonly logger: Logger | undefined;
  private readonly topics = new Map<string, Topic>();
  private closed = false;

  constructor(options: PubSubPublisherOptions) {
    this.pubsub = options.pubsub;
    this.prefix = options.topicPrefix ?? '';
    this.ownsClient = options.ownsClient ?? true;
    this.logger = options.logger;
    this.topicOptions = {
      messageOrdering: true,
      batching: { maxMessages: 100, maxMilliseconds: options.maxBatchMilliseconds ?? 5 },
      ...(options.gaxOpts ? { gaxOpts: options.gaxOpts } : {}),
    };
  }

  async publish(topic: string, data: unknown, options: PublishOptions = {}): Promise<string> {
    if (this.closed) throw new Error('PubSubPublisher is closed');
    const json = JSON.stringify(data) ?? 'null';
    checkMessageSize(topic, json, options);
    const target = this.topic(topic);
    const message = {
      data: Buffer.from(json),
      ...(options.attributes ? { attributes: options.attributes } : {}),
      ...(options.orderingKey ? { orderingKey: options.orderingKey } : {}),
    };
    try {
      return await target.publishMessage(message);
    } catch (err) {
      if (options.orderingKey) {
        // After a failed publish the client rejects the messages queued behind it with the same key (so
        // none overtakes it) and, as its docs say, pauses the key until resumePublishing(). The caller
        // gets the error and may publish again, so the key must not stay paused.
        target.resumePublishing(options.orderingKey);
      }
      this.logger?.warn('Pub/Sub publish failed', { topic: target.name, error: err });
      throw toServiceError(err, `Publishing to topic ${topic}`);
    }
  }

  /** Sends whatever is still batched, then (when it owns it) closes the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.topics.values()].map((t) => t.flush()));
    if (this.ownsClient) await this.pubsub.close();
  }

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.pubsub.topic(`${this.prefix}${name}`, this.topicOptions);
      this.topics.set(name, topic);
    }
    return topic;
  }
}
