import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AiGatewayOptions } from '../ai/index.ts';
import type { Config } from '../config/index.ts';
import { type AppContext, SingleFlight, TtlMemo } from '../context/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { type BridgeMetrics, noopMetrics } from '../metrics/index.ts';
import type { AiGateway } from '../ports/index.ts';
import { GithubAppState } from '../providers/github/github-app-state.ts';
import { ResilienceKit, type ResilienceSettings } from '../resilience/index.ts';
import { resolveBridgeGithubAuth } from './bridge-github-auth.ts';
import { buildDriveWatch } from './drive-watch.ts';
import { buildMetrics } from './metrics.ts';
import { gaugeSources } from './metrics-sources.ts';
import { buildProviderRegistry } from './providers.ts';

export interface ContextOverrides {
  logger?: Logger;
  now?: () => Date;
  env?: Record<string, string | undefined>;
  /** Circuit breaker, deadline and pacing settings (tests shorten the waits). */
  resilience?: Partial<ResilienceSettings>;
  /** The context's instruments (default: built for the backend, see shared/app/metrics.ts). */
  metrics?: BridgeMetrics;
  /** The AI layer's breaker thresholds and clock (tests shorten the cool-down). */
  ai?: AiGatewayOptions;
}

/** The backends a context runs on: what `createLocalBackends` and `createGcpBackends` build. */
export type Backends = Pick<AppContext, 'state' | 'publisher' | 'bus' | 'deadLetters' | 'secrets' | 'close'>;

/**
 * The composition root: picks the backends named by BRIDGE_BACKEND, then builds everything with
 * state in order (resilience, GitHub App state, the lazily built provider registry). Adapters are
 * imported lazily so a function only loads the SDKs it uses (cold start).
 */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger =
    overrides.logger ?? createLogger({ level: config.LOG_LEVEL, project: config.GOOGLE_CLOUD_PROJECT });
  const now = overrides.now ?? (() => new Date());
  const env = overrides.env ?? {};
  for (const name of [
    'GITHUB_TOKEN',
    'GITHUB_APP_PRIVATE_KEY',
    'GOOGLE_ACCESS_TOKEN',
    'BRIDGE_ADMIN_TOKEN',
    'GITHUB_OAUTH_CLIENT_SECRET',
    'BRIDGE_METRICS_TOKEN',
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'GEMINI_API_KEY',
  ] as const) {
    logger.addSecret(config[name]);
  }
  for (const s of (config.GITHUB_WEBHOOK_SECRET ?? '').split(',')) logger.addSecret(s.trim());

  const metrics = overrides.metrics ?? (await buildMetrics(config, env));
  if (config.BRIDGE_BACKEND === 'gcp') {
    const { createGcpBackends } = await import('../adapters/gcp/index.ts');
    const backends = await createGcpBackends(config, logger);
    return assembleContext(config, logger, now, backends, { ...overrides, metrics });
  }
  mkdirSync(config.BRIDGE_DATA_DIR, { recursive: true, mode: 0o700 });
  const { createLocalBackends } = await import('../adapters/local/index.ts');
  const backends = await createLocalBackends({
    file: join(config.BRIDGE_DATA_DIR, 'bridge.sqlite'),
    dataDir: config.BRIDGE_DATA_DIR,
    secretsKey: config.BRIDGE_SECRETS_KEY,
    env,
    logger,
    now,
  });
  return assembleContext(config, logger, now, backends, { ...overrides, metrics });
}

/**
 * A context on the given backends: everything with state is created here, once, in order. Tests
 * that build their own backends (a bus with short retries) assemble their context with this too.
 */
export function assembleContext(
  config: Config,
  logger: Logger,
  now: () => Date,
  backends: Backends,
  options: Pick<ContextOverrides, 'resilience' | 'metrics' | 'ai'> = {},
): AppContext {
  const metrics = options.metrics ?? noopMetrics();
  let registry: ReturnType<AppContext['providers']> | undefined;
  let githubAuth: ReturnType<AppContext['bridgeGithubAuth']> | undefined;
  let driveWatch: ReturnType<AppContext['driveWatch']> | undefined;
  let ai: ReturnType<AppContext['ai']> | undefined;
  /** The gateway once built: the meter reads it, and never builds it (that would load the AI layer). */
  let aiBuilt: AiGateway | undefined;
  const ctx: AppContext = {
    config,
    logger,
    now,
    ...backends,
    metrics,
    async close() {
      // The last points go out before the backends close (on GCP: the final export).
      await metrics
        .shutdown()
        .catch((err: unknown) => logger.warn('metrics shutdown failed', { error: err }));
      await backends.close();
    },
    resilience: new ResilienceKit(options.resilience),
    githubApps: new GithubAppState(),
    singleFlight: new SingleFlight(),
    memo: new TtlMemo(),
    bridgeGithubAuth() {
      githubAuth ??= resolveBridgeGithubAuth(ctx).catch((err: unknown) => {
        githubAuth = undefined;
        throw err;
      });
      return githubAuth;
    },
    driveWatch() {
      driveWatch ??= buildDriveWatch(ctx);
      return driveWatch;
    },
    ai() {
      // Loaded on first use: a function that never calls a model never loads the AI layer.
      ai ??= import('./ai-gateway.ts').then(async ({ buildAiGateway }) => {
        aiBuilt = await buildAiGateway(ctx, options.ai);
        return aiBuilt;
      });
      return ai;
    },
    providers() {
      registry ??= buildProviderRegistry(ctx).catch((err: unknown) => {
        registry = undefined; // a failed build (a secret store hiccup) is tried again next time
        throw err;
      });
      return registry;
    },
  };
  metrics.observe(gaugeSources(ctx, () => aiBuilt));
  return ctx;
}
