import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthThrottle } from '../../shared/api/auth-throttle.ts';
import type { RateLimiter } from '../../shared/api/rate-limit.ts';
import { createContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { AppContext } from '../../shared/context/index.ts';
import { type LocalServer, type ServerTimeouts, startLocalServer } from '../../shared/edge/index.ts';
import type { GithubWebhookOptions } from '../../shared/ingress/index.ts';
import { createLogger, type LogLevel } from '../../shared/logging/index.ts';
import type { ResilienceSettings } from '../../shared/resilience/index.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestBridge {
  ctx: AppContext;
  server: LocalServer;
  url: string;
  dir: string;
  /** Every log line written, for assertions (and to prove nothing secret is logged). */
  logs: string[];
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<{ status: number; body: T }>;
  /** Waits until the embedded bus has nothing deliverable or in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A whole bridge (every function, embedded backends) on a free port with a temp data dir. */
export async function startTestBridge(
  env: Record<string, string> = {},
  options: {
    /** The status API's rate limiter (tests give a small tier and their own clock). */
    rateLimiter?: RateLimiter;
    /** Failed-authentication throttle per client address (tests give small limits and their own clock). */
    authThrottle?: AuthThrottle;
    /** The webhook intake's limits (slow-upload tests make them small). */
    webhook?: GithubWebhookOptions;
    /** The local server's header/request timeouts. */
    timeouts?: Partial<ServerTimeouts>;
    /** Log level (default debug: every line is kept in `logs`); the bench keeps it at warn. */
    logLevel?: LogLevel;
    /** Where log lines go besides `logs`. */
    onLog?: (line: string) => void;
    /** Circuit breaker, deadline and pacing settings of the context. */
    resilience?: Partial<ResilienceSettings>;
    /** The context's clock (default: the real one). */
    now?: () => Date;
  } = {},
): Promise<TestBridge> {
  const { logLevel = 'debug', onLog, resilience, now, ...serverOptions } = options;
  const dir = await mkdtemp(join(tmpdir(), 'bridge-test-'));
  const fullEnv = {
    BRIDGE_DATA_DIR: join(dir, 'data'),
    PORT: '0',
    BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN,
    BRIDGE_DEMO: 'false',
    // Tests link temp-dir repositories with tenant keys; the default (admin only) is tested on its own.
    BRIDGE_LOCAL_LINKS: 'any',
    LOG_LEVEL: logLevel,
    ...env,
  };
  const logs: string[] = [];
  const config = loadConfig(fullEnv);
  const logger = createLogger({
    level: logLevel,
    write: (line) => {
      logs.push(line);
      onLog?.(line);
    },
  });
  const ctx = await createContext(config, {
    env: fullEnv,
    logger,
    ...(resilience ? { resilience } : {}),
    ...(now ? { now } : {}),
  });
  const server = await startLocalServer(ctx, { ...serverOptions, port: 0 });
  return {
    ctx,
    server,
    url: server.url,
    dir,
    logs,
    async api(method, path, body, token = ADMIN_TOKEN) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    idle: () => ctx.bus?.idle() ?? Promise.resolve(),
    async close() {
      await server.close(2_000);
      await ctx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Lets `tenant` link file:// paths inside `folder` (default: the bridge's temp dir). Under
 * BRIDGE_LOCAL_LINKS=any a tenant reaches only the local folders the admin granted it.
 */
export async function grantLocalFolder(
  bridge: Pick<TestBridge, 'api' | 'dir'>,
  tenant: string,
  folder: string = bridge.dir,
): Promise<void> {
  const res = await bridge.api(
    'PUT',
    `/api/v1/tenants/${tenant}/grants/local-paths/${encodeURIComponent(folder)}`,
  );
  if (res.status !== 201 && res.status !== 200) {
    throw new Error(`local grant for ${tenant}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
