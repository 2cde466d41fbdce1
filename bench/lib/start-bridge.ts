import type { LogLevel } from '../../shared/logging/index.ts';
import type { ResilienceSettings } from '../../shared/resilience/index.ts';
import { startTestBridge, type TestBridge } from '../../test/support/bridge.ts';

export interface BenchBridge extends TestBridge {
  /** Log lines at `warn` and above (the first 200), to explain a stalled run. */
  warnings: string[];
}

/**
 * The whole local bridge (every function, SQLite state and durable bus) on a free port with a temp
 * data dir — what `npm start` runs — with logging at `warn` so log volume does not dominate timings.
 * BENCH_LOG_LEVEL=debug shows the log on stderr.
 */
export async function startBenchBridge(
  env: Record<string, string> = {},
  options: { logLevel?: LogLevel; resilience?: Partial<ResilienceSettings> } = {},
): Promise<BenchBridge> {
  const level = options.logLevel ?? (process.env.BENCH_LOG_LEVEL as LogLevel | undefined) ?? 'warn';
  const warnings: string[] = [];
  const bridge = await startTestBridge(
    // Benchmarks use the production default for who may link local files.
    { BRIDGE_LOCAL_LINKS: 'admin', ...env },
    {
      logLevel: level,
      ...(options.resilience ? { resilience: options.resilience } : {}),
      onLog: (line) => {
        if (process.env.BENCH_LOG_LEVEL) process.stderr.write(`${line}\n`);
        if (warnings.length < 200) warnings.push(line);
      },
    },
  );
  return Object.assign(bridge, { warnings });
}
