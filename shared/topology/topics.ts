/**
 * The bus's topics, by the name the code publishes to. On GCP each is a Pub/Sub topic named
 * `<BRIDGE_TOPIC_PREFIX><name>`; locally, a queue in the embedded bus.
 */
export const TOPICS = {
  githubEvents: 'github-events',
  driveChanges: 'drive-changes',
  syncRequests: 'sync-requests',
  /** Secret Manager's rotation notifications (SECRET_ROTATE and version events). */
  secretRotation: 'secret-rotation',
  /** Cloud Scheduler jobs for the scheduler function: reconcile, channel renewal, delivery recovery. */
  schedulerJobs: 'scheduler-jobs',
  /** One notification to one subscription (Slack, signed webhook, GitHub comment), for the scheduler to send. */
  notifications: 'notifications',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const FUNCTION_NAMES = [
  'github-webhook',
  'drive-notifications',
  'status-api',
  'sync-worker',
  'scheduler',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The functions a push subscription delivers to. */
export type ConsumerName = 'sync-worker' | 'scheduler';

export interface TopicSpec {
  /** The one function whose push subscription receives this topic. */
  consumer: ConsumerName;
  /** Publishers outside the bridge's functions (Google services), if any. */
  externalPublishers: readonly string[];
  /** Attributes every message carries (`?` marks one that only some messages carry). */
  attributes: readonly string[];
  /** What the ordering key is (messages with one key are delivered one at a time, in order). */
  orderingKey: string | undefined;
}

export const TOPIC_SPECS: Readonly<Record<TopicName, TopicSpec>> = {
  [TOPICS.githubEvents]: {
    consumer: 'sync-worker',
    externalPublishers: [],
    attributes: ['event', 'deliveryId', 'action?', 'repository?', 'installation?', 'traceId?'],
    orderingKey: 'the repository (owner/name), when the event names one',
  },
  [TOPICS.driveChanges]: {
    consumer: 'sync-worker',
    externalPublishers: [],
    attributes: ['linkId', 'channelId', 'resourceState', 'messageNumber', 'traceId?'],
    orderingKey: 'the link id',
  },
  [TOPICS.syncRequests]: {
    consumer: 'sync-worker',
    externalPublishers: [],
    attributes: ['linkId', 'operationId', 'trigger', 'traceId?'],
    orderingKey: 'the link id',
  },
  [TOPICS.secretRotation]: {
    consumer: 'scheduler',
    externalPublishers: ['Secret Manager (rotation schedules)'],
    attributes: ['eventType', 'secretId'],
    orderingKey: undefined,
  },
  [TOPICS.schedulerJobs]: {
    consumer: 'scheduler',
    externalPublishers: ['Cloud Scheduler'],
    attributes: ['job'],
    orderingKey: undefined,
  },
  [TOPICS.notifications]: {
    consumer: 'scheduler',
    externalPublishers: [],
    attributes: ['trigger', 'subscriptionId', 'linkId'],
    orderingKey: undefined,
  },
};
