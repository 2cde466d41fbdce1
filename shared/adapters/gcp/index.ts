import type { Config } from '../../config/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { EventPublisher, SecretStore, StateStore } from '../../ports/index.ts';

export interface GcpBackends {
  state: StateStore;
  publisher: EventPublisher;
  secrets: SecretStore;
  close(): Promise<void>;
}

// Placeholder: Firestore, Pub/Sub and Secret Manager adapters land here.
export async function createGcpBackends(_config: Config, _logger: Logger): Promise<GcpBackends> {
  throw new Error('gcp backends not implemented yet');
}
