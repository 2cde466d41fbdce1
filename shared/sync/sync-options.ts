import type { DesignProvider, RepoProvider } from '../ports/index.ts';
import type { SyncDirection } from '../records/index.ts';

export interface SyncOptions {
  operationId?: string | undefined;
  /** The bus message that asked for this run: an event-triggered run is continued by its redelivery. */
  messageId?: string | undefined;
  trigger: string;
  /** When the event (or request) that asked for this run was received: the freshness series starts there. */
  receivedAt?: string | undefined;
  /** The trace of the request that asked (a Pub/Sub attribute): every log line of the run carries it. */
  traceId?: string | undefined;
  direction: SyncDirection;
  dryRun: boolean;
  /**
   * The bus delivery running this sync (see BusMessage): which attempt it is, when the deliverer says
   * (else the operation's own count of attempts stands in), and the attempt whose failure sends the
   * message to the dead letters, when known. A failure on that attempt gives up.
   */
  delivery?: { attempt: number | undefined; maxAttempts: number | undefined };
}

export interface SyncSides {
  repo: RepoProvider;
  design: DesignProvider;
  /** API calls each provider made during this run so far. */
  calls: () => Record<string, number>;
}
