import type { Config } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { BridgeMetrics } from '../metrics/index.ts';
import type {
  AiGateway,
  DeadLetterQueue,
  EventBus,
  EventPublisher,
  SecretStore,
  StateStore,
} from '../ports/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';
import type { GithubAppState } from '../providers/github/github-app-state.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ResilienceKit } from '../resilience/index.ts';
import type { SingleFlight } from './single-flight.ts';
import type { TtlMemo } from './ttl-memo.ts';

/** The bridge's own GitHub credentials: a token, or a GitHub App (installation found per repository). */
export type BridgeGithubAuth = string | { appId: string; privateKey: string };

/**
 * Everything a handler needs, wired once at the edge (`shared/app` builds it: one composition root
 * per process). Everything with state lives here and nowhere else, so two contexts in one process
 * (two test bridges) share nothing.
 */
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
  /** The context's OpenTelemetry instruments (one meter), read by /metrics or exported to Cloud Monitoring. */
  metrics: BridgeMetrics;
  /** Circuit breakers, write windows and rate-limit headroom of this process's providers. */
  resilience: ResilienceKit;
  /** GitHub App installations and tokens the GitHub providers share. */
  githubApps: GithubAppState;
  /**
   * The provider registry: built on first use (a function that syncs nothing never loads the
   * providers' SDKs or reads their credentials), then the same one for the context's life.
   */
  providers(): Promise<ProviderRegistry>;
  /** Drive channels and the changes feed; undefined without Google credentials. Built on first use. */
  driveWatch(): Promise<DriveWatchClient | undefined>;
  /** The bridge's own GitHub credentials (the App preferred), read once; undefined when it has none. */
  bridgeGithubAuth(): Promise<BridgeGithubAuth | undefined>;
  /**
   * The AI layer (shared/ai): undefined when no provider key is set, so callers take their
   * deterministic path. Built on first use (the clients and price table load only then); its
   * breakers and latency figures then live as long as the context.
   */
  ai(): Promise<AiGateway | undefined>;
  /** One in-flight call per key in this process (e.g. one token refresh per connection). */
  singleFlight: SingleFlight;
  /** Short-lived answers (what GitHub said about an account's access a minute ago). */
  memo: TtlMemo;
  close(): Promise<void>;
}
