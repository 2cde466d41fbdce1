import { FUNCTION_SPECS } from './functions.ts';
import { type ConsumerName, TOPIC_SPECS, TOPICS, type TopicName } from './topics.ts';

/** Pub/Sub's limits: ack deadline 10-600 s, 5-100 delivery attempts, backoff 0-600 s. */
export interface PushSubscriptionSpec {
  /** Without BRIDGE_TOPIC_PREFIX, which goes in front of every topic and subscription name. */
  name: string;
  topic: TopicName;
  consumer: ConsumerName;
  /** How long Pub/Sub waits for the consumer's answer: its whole request timeout. */
  ackDeadlineSeconds: number;
  minimumBackoffSeconds: number;
  maximumBackoffSeconds: number;
  /** Pushes of one message before it goes to the dead-letter topic. */
  maxDeliveryAttempts: number;
  /** One ordering key's messages are delivered one at a time, in order. */
  ordered: boolean;
  /** Where a message lands after its last failed push, and the pull subscription the status API reads. */
  deadLetterTopic: string;
  deadLetterSubscription: string;
}

const RETRY = { minimumBackoffSeconds: 10, maximumBackoffSeconds: 600, maxDeliveryAttempts: 10 } as const;

function pushSubscription(topic: TopicName): PushSubscriptionSpec {
  const consumer = TOPIC_SPECS[topic].consumer;
  return {
    name: `${topic}-push`,
    topic,
    consumer,
    ackDeadlineSeconds: FUNCTION_SPECS[consumer].timeoutSeconds,
    ...RETRY,
    ordered: true,
    deadLetterTopic: `${topic}-dead-letter`,
    deadLetterSubscription: `${topic}-dead-letter`,
  };
}

/**
 * One push subscription per topic, owned by Terraform (not Eventarc, whose subscriptions cannot carry
 * a dead-letter policy), delivering to the topic's consumer.
 */
export const PUSH_SUBSCRIPTIONS: readonly PushSubscriptionSpec[] =
  Object.values(TOPICS).map(pushSubscription);

/** The push subscription delivering `topic`. */
export function subscriptionOfTopic(topic: TopicName): PushSubscriptionSpec {
  const found = PUSH_SUBSCRIPTIONS.find((s) => s.topic === topic);
  if (!found) throw new Error(`no push subscription for topic ${topic}`);
  return found;
}

/** The topics a function consumes, in declaration order. */
export function topicsConsumedBy(consumer: ConsumerName): TopicName[] {
  return PUSH_SUBSCRIPTIONS.filter((s) => s.consumer === consumer).map((s) => s.topic);
}

/** `name` without `prefix`, or undefined when it does not start with it. */
const unprefixed = (name: string, prefix: string): string | undefined =>
  name.startsWith(prefix) ? name.slice(prefix.length) : undefined;

/** The push subscription a deployed name (with BRIDGE_TOPIC_PREFIX) stands for, if any. */
export function findPushSubscription(deployedName: string, prefix: string): PushSubscriptionSpec | undefined {
  const name = unprefixed(deployedName, prefix);
  return PUSH_SUBSCRIPTIONS.find((s) => s.name === name);
}

/** The topic a deployed topic name (with BRIDGE_TOPIC_PREFIX) stands for, if any. */
export function findTopic(deployedName: string, prefix: string): TopicName | undefined {
  const name = unprefixed(deployedName, prefix);
  return Object.values(TOPICS).find((t) => t === name);
}
