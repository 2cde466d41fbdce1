import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalBackends } from '../../../shared/adapters/local/index.ts';
import { assembleContext } from '../../../shared/app/index.ts';
import { loadConfig } from '../../../shared/config/index.ts';
import type { AppContext } from '../../../shared/context/index.ts';
import { type LocalServer, startLocalServer } from '../../../shared/edge/index.ts';
import { createLogger } from '../../../shared/logging/index.ts';
import type { MessageHandler, RetryPolicy } from '../../../shared/ports/index.ts';
import type { Link, Operation } from '../../../shared/records/index.ts';
import type { ResilienceSettings } from '../../../shared/resilience/index.ts';
import { ADMIN_TOKEN } from '../../support/bridge.ts';
import { FILE_ID, REPO, type World } from './world.ts';

/** Short waits so a test exercises retries and circuits in milliseconds, not minutes. */
export const FAST_GITHUB_TUNING = { retries: 2, retryBaseMs: 5, rateLimitWaitUnitMs: 1, rateLimitRetries: 2 };

export interface BridgeOptions {
  retry?: Partial<RetryPolicy>;
  resilience?: Partial<ResilienceSettings>;
  /** Extra subscribers (added before the bus starts), e.g. to count what was published. */
  taps?: Record<string, MessageHandler>;
  /** An existing data dir (a second bridge on the same SQLite file). */
  dir?: string;
}

export interface ResilientBridge {
  ctx: AppContext;
  server: LocalServer;
  url: string;
  dir: string;
  logs: string[];
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  idle(): Promise<void>;
  createLink(policy?: Record<string, unknown>): Promise<Link>;
  /** Queues a sync through the API and returns its operation id. */
  queueSync(linkId: string, body?: Record<string, unknown>): Promise<string>;
  operation(id: string): Promise<Operation>;
  close(): Promise<void>;
}

/**
 * The whole bridge (every function on the embedded backends) as `createContext` builds it, except
 * that the bus's retry policy and the resilience settings are the test's: backoffs of milliseconds.
 */
export async function startResilientBridge(
  world: World,
  options: BridgeOptions = {},
): Promise<ResilientBridge> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'bridge-resilience-')));
  const env = {
    BRIDGE_DATA_DIR: join(dir, 'data'),
    PORT: '0',
    BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
    BRIDGE_DEMO: 'false',
    LOG_LEVEL: 'debug',
    ...world.env,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => logs.push(line) });
  const now = () => new Date();
  mkdirSync(config.BRIDGE_DATA_DIR, { recursive: true });
  const backends = await createLocalBackends({
    file: join(config.BRIDGE_DATA_DIR, 'bridge.sqlite'),
    dataDir: config.BRIDGE_DATA_DIR,
    env,
    logger,
    now,
    retry: { maxAttempts: 8, minBackoffMs: 20, maxBackoffMs: 200, ...options.retry },
  });
  const ctx: AppContext = assembleContext(config, logger, now, backends, {
    resilience: {
      failureThreshold: 5,
      cooldownMs: 200,
      callDeadlineMs: 5_000,
      requestTimeoutMs: 2_000,
      githubTuning: FAST_GITHUB_TUNING,
      ...options.resilience,
    },
  });
  for (const [topic, tap] of Object.entries(options.taps ?? {})) ctx.bus?.subscribe(topic, tap);
  const server = await startLocalServer(ctx, { port: 0 });

  const bridge: ResilientBridge = {
    ctx,
    server,
    url: server.url,
    dir,
    logs,
    async api(method, path, body) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    idle: () => ctx.bus?.idle() ?? Promise.resolve(),
    async createLink(policy = { writes: 'direct' }) {
      const created = await bridge.api<Link>('POST', '/api/v1/links', {
        repo: `https://github.com/${REPO}`,
        design: `https://drive.google.com/file/d/${FILE_ID}/view`,
        policy,
      });
      if (created.status !== 201) throw new Error(`link not created: ${JSON.stringify(created.body)}`);
      await bridge.idle();
      return created.body;
    },
    async queueSync(linkId, body = {}) {
      const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, body);
      if (queued.status !== 202) throw new Error(`sync not queued: ${JSON.stringify(queued.body)}`);
      return queued.body.operationId;
    },
    async operation(id) {
      return (await bridge.api<Operation>('GET', `/api/v1/operations/${id}`)).body;
    },
    async close() {
      await server.close(2_000);
      await ctx.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return bridge;
}

/** Polls `probe` until it returns a value (not undefined); fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
