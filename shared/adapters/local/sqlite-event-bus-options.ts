import type { Logger } from '../../logging/index.ts';
import type { RetryPolicy } from '../../ports/index.ts';

export interface SqliteEventBusOptions {
  /** SQLite file (may be the state store's). */
  file: string;
  /** WAL pages at which a commit checkpoints (default SQLite's 1000; raise it under a WalCheckpointer). */
  autoCheckpointPages?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  /** Handlers running at once, across topics and ordering keys (default 4). */
  concurrency?: number;
  /** How long a delivery is held before another process may take it; renewed while it runs (default 60 s). */
  leaseMs?: number;
  /** How often to look for messages other processes published to the file (default 1 s). */
  pollIntervalMs?: number;
  now?: () => Date;
  logger?: Logger;
}
