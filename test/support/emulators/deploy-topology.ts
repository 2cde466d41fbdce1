import {
  type ConsumerName,
  PUSH_SUBSCRIPTIONS,
  type PushSubscriptionSpec,
  TOPIC_SPECS,
  type TopicName,
} from '../../../shared/topology/index.ts';

/**
 * What the Pub/Sub emulator cannot do as declared, and so how each push subscription is created
 * there (measured on the gcloud 528 emulator):
 *  - a subscription with message ordering AND a dead-letter policy loses the message after its last
 *    failed push (it never reaches the dead-letter topic): each subscription gets one of the two;
 *  - the retry policy is not Pub/Sub's: without one it redelivers about every 1 s; on an ordered
 *    subscription it ignores the policy (every 1 s); on an unordered one the first redelivery still
 *    comes after about 1 s, then roughly the declared backoff (10 s min: about 14 s, then 22 s). So
 *    the retry policy is left out unless asked for (dead-lettering after 10 attempts would take
 *    minutes), and the declared backoff is not observable there;
 *  - pushes carry no `deliveryAttempt`, no `orderingKey` (the message's key is not in the
 *    envelope, though ordering is kept) and no OIDC token.
 * Which subscriptions keep their dead-letter policy (and lose ordering) is the caller's choice,
 * per scenario; the rest keep ordering. The ack deadline, the delivery attempts and the dead-letter
 * topic are as declared. test/gcp/pubsub-google-emulator.test.ts asserts these facts.
 */
export interface DeployOptions {
  /** The emulator's REST base, `http://host:port`. */
  rest: string;
  project: string;
  prefix: string;
  /** Push endpoint of each consumer function (its Cloud Run URL). */
  endpoints: Record<ConsumerName, string>;
  /** Topics whose push subscription keeps the dead-letter policy instead of ordering. */
  deadLettered: readonly TopicName[];
  /** Topics whose push subscription carries the declared retry policy (default none, see above). */
  retried?: readonly TopicName[];
}

export interface DeployedSubscription {
  spec: PushSubscriptionSpec;
  ordered: boolean;
  deadLettered: boolean;
}

/** One call of the emulator's REST API (`GET` sends no body); its JSON answer. */
export async function call(
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  body: unknown = {},
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Creates every topic, dead-letter topic and subscription, and push subscription shared/topology declares. */
export async function deployTopology(options: DeployOptions): Promise<DeployedSubscription[]> {
  const { rest, project, prefix } = options;
  const topicPath = (name: string) => `projects/${project}/topics/${prefix}${name}`;
  const put = (kind: 'topics' | 'subscriptions', name: string, body: unknown = {}) =>
    call('PUT', `${rest}/v1/projects/${project}/${kind}/${prefix}${name}`, body);

  for (const topic of Object.keys(TOPIC_SPECS)) await put('topics', topic);
  const deployed: DeployedSubscription[] = [];
  for (const spec of PUSH_SUBSCRIPTIONS) {
    await put('topics', spec.deadLetterTopic);
    await put('subscriptions', spec.deadLetterSubscription, {
      topic: topicPath(spec.deadLetterTopic),
      ackDeadlineSeconds: 60,
    });
    const deadLettered = options.deadLettered.includes(spec.topic);
    const ordered = spec.ordered && !deadLettered;
    await put('subscriptions', spec.name, {
      topic: topicPath(spec.topic),
      ackDeadlineSeconds: spec.ackDeadlineSeconds,
      enableMessageOrdering: ordered,
      // As terraform/pubsub.tf: pushes signed for the push-invoker account (the emulator sends none).
      pushConfig: {
        pushEndpoint: options.endpoints[spec.consumer],
        oidcToken: {
          serviceAccountEmail: `push-invoker@${project}.iam.gserviceaccount.com`,
          audience: options.endpoints[spec.consumer],
        },
      },
      ...(options.retried?.includes(spec.topic)
        ? {
            retryPolicy: {
              minimumBackoff: `${spec.minimumBackoffSeconds}s`,
              maximumBackoff: `${spec.maximumBackoffSeconds}s`,
            },
          }
        : {}),
      ...(deadLettered
        ? {
            deadLetterPolicy: {
              deadLetterTopic: topicPath(spec.deadLetterTopic),
              maxDeliveryAttempts: spec.maxDeliveryAttempts,
            },
          }
        : {}),
    });
    deployed.push({ spec, ordered, deadLettered });
  }
  return deployed;
}

/** Publishes one message as Cloud Scheduler, Secret Manager or a test would (REST, JSON data). */
export async function publish(
  options: Pick<DeployOptions, 'rest' | 'project' | 'prefix'>,
  topic: TopicName,
  data: unknown,
  attributes: Record<string, string> = {},
): Promise<void> {
  await call(
    'POST',
    `${options.rest}/v1/projects/${options.project}/topics/${options.prefix}${topic}:publish`,
    {
      messages: [{ data: Buffer.from(JSON.stringify(data)).toString('base64'), attributes }],
    },
  );
}
