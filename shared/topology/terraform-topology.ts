import { FUNCTION_SPECS } from './functions.ts';
import { PUSH_SUBSCRIPTIONS } from './subscriptions.ts';
import { TOPIC_SPECS } from './topics.ts';

const seconds = (n: number) => `${n}s`;

/**
 * The topology as terraform/topology.json, which terraform/*.tf reads with `jsondecode(file(...))`
 * and iterates with `for_each` (Terraform cannot import TypeScript). Keys are Terraform's snake_case;
 * names are without BRIDGE_TOPIC_PREFIX (Terraform adds var.topic_prefix). `npm run topology`
 * writes it; test/terraform checks that the committed file is what this returns.
 */
export function terraformTopology() {
  return {
    $comment: 'Generated from shared/topology by `npm run topology`; do not edit.',
    topics: Object.fromEntries(
      Object.entries(TOPIC_SPECS).map(([name, t]) => [name, { consumer: t.consumer }]),
    ),
    functions: Object.fromEntries(
      Object.entries(FUNCTION_SPECS).map(([name, f]) => [
        name,
        {
          public: f.trigger === 'http',
          timeout_seconds: f.timeoutSeconds,
          publishes: [...f.publishes],
          secrets: [...f.secrets],
        },
      ]),
    ),
    push_subscriptions: Object.fromEntries(
      PUSH_SUBSCRIPTIONS.map((s) => [
        s.topic,
        {
          name: s.name,
          function: s.consumer,
          ack_deadline_seconds: s.ackDeadlineSeconds,
          minimum_backoff: seconds(s.minimumBackoffSeconds),
          maximum_backoff: seconds(s.maximumBackoffSeconds),
          max_delivery_attempts: s.maxDeliveryAttempts,
          enable_message_ordering: s.ordered,
          dead_letter_topic: s.deadLetterTopic,
          dead_letter_subscription: s.deadLetterSubscription,
        },
      ]),
    ),
  };
}

/** The file's text: what `npm run topology` writes. */
export const terraformTopologyJson = (): string => `${JSON.stringify(terraformTopology(), null, 2)}\n`;
