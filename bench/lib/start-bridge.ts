import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppContext, createContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger, type LogLevel } from '../../shared/logging/index.ts';
import { type LocalServer, startLocalServer } from '../../shared/server/index.ts';

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface BenchBridge {
  ctx: AppContext;
  server: LocalServer;
  url: string;
  /** Log lines at `warn` and above (the bench keeps logging cheap, as a production level would). */
  warnings: string[];
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole local bridge (every function, SQLite state and durable bus) on a free port with a temp
 * data dir — what `npm start` runs, with logging at `warn` so log volume does not dominate timings.
 */
export async function startBenchBridge(
  env: Record<string, string> = {},
  options: { logLevel?: LogLevel } = {},
): Promise<BenchBridge> {
  const dir = await mkdtemp(join(tmpdir(), 'bridge-bench-'));
  const level = options.logLevel ?? (process.env.BENCH_LOG_LEVEL as LogLevel | undefined) ?? 'warn';
  const fullEnv = {
    BRIDGE_DATA_DIR: join(dir, 'data'),
    PORT: '0',
    BRIDGE_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    BRIDGE_DEMO: 'false',
    LOG_LEVEL: level,
    ...env,
  };
  const warnings: string[] = [];
  try {
    const config = loadConfig(fullEnv);
    const logger = createLogger({
      level,
      write: (line) => {
        if (process.env.BENCH_LOG_LEVEL) process.stderr.write(`${line}\n`);
        if (warnings.length < 200) warnings.push(line);
      },
    });
    const ctx = await createContext(config, { env: fullEnv, logger });
    const server = await startLocalServer(ctx, { port: 0 });
    return {
      ctx,
      server,
      url: server.url,
      warnings,
      async api(method, path, body) {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
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
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
