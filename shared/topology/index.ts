export { FUNCTION_SPECS } from './functions.ts';
export {
  findPushSubscription,
  findTopic,
  PUSH_SUBSCRIPTIONS,
  type PushSubscriptionSpec,
  subscriptionOfTopic,
  topicsConsumedBy,
} from './subscriptions.ts';
export { terraformTopology, terraformTopologyJson } from './terraform-topology.ts';
export {
  type ConsumerName,
  FUNCTION_NAMES,
  type FunctionName,
  TOPIC_SPECS,
  TOPICS,
  type TopicName,
} from './topics.ts';
