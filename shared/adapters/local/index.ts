import type { Logger } from '../../logging/index.ts';
import type { EventBus, RetryPolicy, SecretStore, StateStore } from '../../ports/index.ts';
import { EnvSecretStore } from './env-secret-store.ts';
import { FileSecretStore } from './file-secret-store.ts';
import { LayeredSecretStore } from './layered-secret-store.ts';
import { SqliteEventBus } from './sqlite-event-bus.ts';
import { SqliteStateStore } from './sqlite-state-store.ts';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from './wal-checkpointer.ts';

export { backoffDelay, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from './backoff.ts';
export { EnvSecretStore } from './env-secret-store.ts';
export { FileSecretStore } from './file-secret-store.ts';
export { LayeredSecretStore } from './layered-secret-store.ts';
export { SqliteEventBus, type SqliteEventBusOptions } from './sqlite-event-bus.ts';
export { SqliteStateStore } from './sqlite-state-store.ts';

export interface LocalBackendOptions {
  /** SQLite file holding both the state store and the durable queue. */
  file: string;
  dataDir: string;
  /** base64 AES-256 key for the encrypted secret file; generated into dataDir when absent. */
  secretsKey?: string | undefined;
  /** Environment overlay for secrets (GITHUB_WEBHOOK_SECRET, BRIDGE_ADMIN_TOKEN...). */
  env: Record<string, string | undefined>;
  logger: Logger;
  now: () => Date;
  retry?: Partial<RetryPolicy>;
  /** Collections whose expired documents are purged periodically (default idempotency, deliveries). */
  ttlCollections?: readonly string[];
  /** How often the TTL purge runs (default 10 minutes). */
  ttlPurgeIntervalMs?: number;
}

export interface LocalBackends {
  state: StateStore;
  publisher: EventBus;
  bus: EventBus;
  deadLetters: EventBus;
  secrets: SecretStore;
  close(): Promise<void>;
}

const DEFAULT_TTL_COLLECTIONS = [
  'idempotency',
  'deliveries',
  'oauth-states',
  'health-history',
  'notification-marks',
  'ai-calls',
  'ai-usage',
  'ai-quota-overrides',
  'change-summaries',
  'conflict-suggestions',
];
/**
 * Equality filters of the frequent queries (a webhook finding its links, a link's operations and
 * conflicts, a link's channels), indexed so they read only matching documents; the Firestore
 * counterparts are in terraform/firestore.tf. Not deliveries.deliveryId: every webhook writes a
 * delivery, and an index on its random id cost the ingress about 17% of its throughput and
 * 300 ms pauses once the file grew (measured); only the admin lookup by id scans without it.
 */
const DEFAULT_FIELD_INDEXES = [
  ['links', 'repo'],
  ['operations', 'linkId'],
  ['conflicts', 'linkId'],
  ['channels', 'linkId'],
] as const;

/**
 * The embedded backends: state store and durable queue in one SQLite file, secrets in an encrypted
 * file under an environment overlay. The bus delivers only after the caller subscribes and calls
 * `bus.start()`.
 */
export async function createLocalBackends(options: LocalBackendOptions): Promise<LocalBackends> {
  const secrets = new LayeredSecretStore(
    new EnvSecretStore(options.env, options.now),
    await FileSecretStore.open({
      dataDir: options.dataDir,
      secretsKey: options.secretsKey,
      now: options.now,
    }),
  );
  // Checkpoints happen in a worker thread; commits only checkpoint if it falls far behind.
  const autoCheckpointPages = BACKSTOP_AUTOCHECKPOINT_PAGES;
  const state = new SqliteStateStore({
    file: options.file,
    now: options.now,
    autoCheckpointPages,
    fieldIndexes: DEFAULT_FIELD_INDEXES,
  });
  const bus = new SqliteEventBus({
    file: options.file,
    autoCheckpointPages,
    retry: options.retry,
    now: options.now,
    logger: options.logger.child({ component: 'bus' }),
  });
  const checkpointer = startWalCheckpointer(options.file);

  const ttlCollections = options.ttlCollections ?? DEFAULT_TTL_COLLECTIONS;
  const purge = async () => {
    for (const collection of ttlCollections) {
      const removed = await state.purgeExpired(collection, options.now());
      if (removed > 0) options.logger.debug('purged expired documents', { collection, removed });
    }
  };
  const purgeTimer = setInterval(() => {
    purge().catch((err: unknown) => options.logger.warn('TTL purge failed', { error: err }));
  }, options.ttlPurgeIntervalMs ?? 600_000).unref();

  let closing: Promise<void> | undefined;
  return {
    state,
    publisher: bus,
    bus,
    deadLetters: bus,
    secrets,
    close() {
      closing ??= (async () => {
        clearInterval(purgeTimer);
        await bus.close();
        await state.close();
        await checkpointer.stop();
      })();
      return closing;
    },
  };
}
