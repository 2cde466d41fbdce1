import type { Logger } from '../../logging/index.ts';
import type { EventBus, RetryPolicy, SecretStore, StateStore } from '../../ports/index.ts';

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
}

export interface LocalBackends {
  state: StateStore;
  publisher: EventBus;
  bus: EventBus;
  secrets: SecretStore;
  close(): Promise<void>;
}

// Placeholder: the embedded SQLite state store, durable queue and secret file land here.
export async function createLocalBackends(_options: LocalBackendOptions): Promise<LocalBackends> {
  throw new Error('embedded backends not implemented yet');
}
