import type { Config } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { DeadLetterQueue, EventBus, EventPublisher, SecretStore, StateStore } from '../ports/index.ts';

/** Everything a handler needs, wired once at the edge (one composition root per process). */
export interface AppContext {
  config: Config;
  logger: Logger;
  state: StateStore;
  /** Publishing side of the bus (Pub/Sub on GCP, the embedded queue locally). */
  publisher: EventPublisher;
  /** The delivering side; only the embedded backend has one (on GCP, Pub/Sub pushes to the worker). */
  bus?: EventBus;
  /** Dead letters: the embedded bus's, or Pub/Sub's dead-letter subscriptions on GCP. */
  deadLetters?: DeadLetterQueue;
  secrets: SecretStore;
  now: () => Date;
  close(): Promise<void>;
}
