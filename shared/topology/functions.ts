import { type FunctionName, TOPICS, type TopicName } from './topics.ts';

/** Secret Manager secrets (SECRETS in shared/ports, plus the OAuth App's and the Drive channels'). */
export type SecretName =
  | 'github-webhook-secret'
  | 'bridge-admin-token'
  | 'github-token'
  | 'github-app-private-key'
  | 'bridge-data-key'
  | 'openai-api-key'
  | 'anthropic-api-key'
  | 'gemini-api-key'
  | 'drive-channel-tokens'
  | 'github-oauth-client-secret';

export interface FunctionSpec {
  /** HTTP from the internet (each checks its callers itself), or Pub/Sub push only. */
  trigger: 'http' | 'push';
  /** Cloud Run's request timeout; a push consumer's subscription waits as long for its answer. */
  timeoutSeconds: number;
  publishes: readonly TopicName[];
  /** Secrets it reads at use time (versions/latest). */
  secrets: readonly SecretName[];
}

const ALL_TOPICS = Object.values(TOPICS);
const GITHUB_CREDENTIALS = ['github-token', 'github-app-private-key', 'bridge-data-key'] as const;
/** The AI layer's provider keys (read at use time, so a new version takes effect without a restart). */
const AI_KEYS = ['openai-api-key', 'anthropic-api-key', 'gemini-api-key'] as const;

/**
 * The five functions and what each may touch. Which topics a function consumes is in TOPIC_SPECS;
 * Terraform grants exactly these topics and secrets (terraform/topology.json).
 */
export const FUNCTION_SPECS: Readonly<Record<FunctionName, FunctionSpec>> = {
  'github-webhook': {
    trigger: 'http',
    timeoutSeconds: 60,
    publishes: [TOPICS.githubEvents],
    secrets: ['github-webhook-secret'],
  },
  'drive-notifications': {
    trigger: 'http',
    timeoutSeconds: 60,
    publishes: [TOPICS.driveChanges],
    secrets: [],
  },
  'status-api': {
    trigger: 'http',
    timeoutSeconds: 60,
    // Queues syncs, and replays a dead letter onto whichever topic it came from.
    publishes: ALL_TOPICS,
    // The OAuth App's client secret: status-api serves the connect flow and its callback. The webhook
    // secret: creating a link creates the repository's webhook, which GitHub signs with it.
    secrets: [
      'bridge-admin-token',
      ...GITHUB_CREDENTIALS,
      ...AI_KEYS,
      'github-oauth-client-secret',
      'github-webhook-secret',
    ],
  },
  'sync-worker': {
    trigger: 'push',
    timeoutSeconds: 300,
    // Sync failures, conflicts and drift notify through the notifications topic.
    publishes: [TOPICS.syncRequests, TOPICS.notifications],
    secrets: [...GITHUB_CREDENTIALS, ...AI_KEYS],
  },
  scheduler: {
    trigger: 'push',
    timeoutSeconds: 300,
    // Health changes notify; it also consumes the notifications topic and sends them.
    publishes: [TOPICS.syncRequests, TOPICS.notifications],
    secrets: [...GITHUB_CREDENTIALS, ...AI_KEYS, 'github-webhook-secret', 'bridge-admin-token'],
  },
};
