import type { DesignProvider, RepoProvider } from '../ports/index.ts';
import type { SyncDirection } from '../records/index.ts';

export interface SyncOptions {
  operationId?: string | undefined;
  /** The bus message that asked for this run: an event-triggered run is continued by its redelivery. */
  messageId?: string | undefined;
  trigger: string;
  direction: SyncDirection;
  dryRun: boolean;
  /** This delivery is the message's last: a failure now dead-letters it (see BusMessage). */
  lastAttempt?: boolean;
}

export interface SyncSides {
  repo: RepoProvider;
  design: DesignProvider;
  /** API calls each provider made during this run so far. */
  calls: () => Record<string, number>;
}
