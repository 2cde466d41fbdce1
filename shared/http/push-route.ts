import { AppError } from '../errors/index.ts';
import {
  type ConsumerName,
  findPushSubscription,
  findTopic,
  type PushSubscriptionSpec,
  TOPIC_SPECS,
  type TopicName,
} from '../topology/index.ts';

/** Which function a push endpoint serves, and the deployment's BRIDGE_TOPIC_PREFIX. */
export interface PushRoute {
  consumer: ConsumerName;
  topicPrefix: string;
}

const lastSegment = (resource: string | undefined, kind: 'subscriptions' | 'topics') =>
  resource ? new RegExp(`(?:^|/)${kind}/([^/]+)$`).exec(resource)?.[1] : undefined;

/** A delivery that reached the wrong endpoint: answered 500 so Pub/Sub redelivers, then dead-letters. */
function misrouted(what: string, route: PushRoute): AppError {
  return new AppError(
    'config_invalid',
    `Push delivery ${what}, which shared/topology does not route to ${route.consumer} (BRIDGE_TOPIC_PREFIX "${route.topicPrefix}"); it stays undelivered until the deployment matches terraform/topology.json`,
  );
}

/**
 * The topic of a push delivery, as the topology declares it. A subscription the topology names (the
 * raw push envelope's `subscription`, without the prefix) gives its topic and retry settings; else a
 * CloudEvent's source topic (Eventarc names its own subscriptions). Either must be a topic this
 * function consumes: anything else is an error, never an acknowledgement.
 */
export function resolvePushTopic(
  route: PushRoute,
  subscription: string | undefined,
  source: string | undefined,
): { topic: TopicName; subscription?: PushSubscriptionSpec } {
  const subscriptionName = lastSegment(subscription, 'subscriptions');
  const sourceName = lastSegment(source, 'topics');
  if (!subscriptionName && !sourceName)
    throw new AppError('bad_request', 'Push delivery names neither a topic (ce-source) nor a subscription');
  const declared = subscriptionName ? findPushSubscription(subscriptionName, route.topicPrefix) : undefined;
  const sourceTopic = sourceName ? findTopic(sourceName, route.topicPrefix) : undefined;
  if (sourceName && !sourceTopic) throw misrouted(`from topic ${sourceName}`, route);
  if (declared) {
    if (declared.consumer !== route.consumer || (sourceTopic && sourceTopic !== declared.topic))
      throw misrouted(`from subscription ${subscriptionName}`, route);
    return { topic: declared.topic, subscription: declared };
  }
  if (!sourceTopic) throw misrouted(`from subscription ${subscriptionName}`, route);
  if (TOPIC_SPECS[sourceTopic].consumer !== route.consumer)
    throw misrouted(`from topic ${sourceName}`, route);
  return { topic: sourceTopic };
}
