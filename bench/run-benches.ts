import { cpus, totalmem } from 'node:os';
import { runAiBench } from './ai-bench.ts';
import type { BenchResult } from './bench-result.ts';
import { runBusThroughputBench } from './bus-throughput-bench.ts';
import { runColdStartBench } from './cold-start-bench.ts';
import { runContentsApiBaseline } from './contents-api-baseline.ts';
import { runIngressBench } from './ingress-bench.ts';
import { runSyncBench } from './sync-bench.ts';
import { checkTargets } from './targets.ts';

export interface BenchPlan {
  quick: boolean;
  ingress: {
    runs: number;
    durationSeconds: number;
    fixedRuns: number;
    fixedDurationSeconds: number;
    connections: number;
  };
  sync: { sizes: number[]; runs: number };
  coldStart: { runs: number; functions?: string[] };
  bus: { links: number; concurrency: number; busMessages: number };
  ai: { runs: number; overheadRuns: number };
}

/** Full run: about 2½ minutes on a 2-core machine. */
export const FULL_PLAN: BenchPlan = {
  quick: false,
  ingress: { runs: 5, durationSeconds: 4, fixedRuns: 3, fixedDurationSeconds: 4, connections: 10 },
  sync: { sizes: [1, 10, 100], runs: 10 },
  coldStart: { runs: 7 },
  bus: { links: 1000, concurrency: 16, busMessages: 5000 },
  ai: { runs: 20, overheadRuns: 300 },
};

/** `--quick`: the same measurements, fewer and shorter runs (about 30 s). */
export const QUICK_PLAN: BenchPlan = {
  quick: true,
  ingress: { runs: 2, durationSeconds: 2, fixedRuns: 1, fixedDurationSeconds: 3, connections: 10 },
  sync: { sizes: [1, 10, 100], runs: 3 },
  coldStart: { runs: 3 },
  bus: { links: 200, concurrency: 16, busMessages: 1000 },
  ai: { runs: 5, overheadRuns: 100 },
};

export async function runBenches(
  plan: BenchPlan,
  progress: (line: string) => void = () => {},
): Promise<BenchResult> {
  const started = performance.now();
  progress('webhook ingress: bridge vs @octokit/webhooks middleware…');
  const ingress = await runIngressBench({ ...plan.ingress, fixedRate: 200 });
  progress('end-to-end sync latency and provider calls…');
  const sync = await runSyncBench(plan.sync);
  const contents = await runContentsApiBaseline(plan.sync.sizes);
  progress('cold start…');
  const coldStart = await runColdStartBench(plan.coldStart);
  progress(`bus and worker throughput with ${plan.bus.links} links…`);
  const busThroughput = await runBusThroughputBench(plan.bus);
  progress('AI layer: failover, overhead, quota reservation…');
  const ai = await runAiBench(plan.ai);
  const cpuList = cpus();
  const result: BenchResult = {
    date: new Date().toISOString(),
    quick: plan.quick,
    machine: {
      cpus: cpuList.length,
      cpuModel: cpuList[0]?.model ?? 'unknown',
      totalMemoryMb: Math.round(totalmem() / (1024 * 1024)),
      node: process.version,
      platform: process.platform,
      arch: process.arch,
    },
    ingressRatio: ingress.ratio,
    ingress,
    fixedRate200: {
      rate: ingress.fixedRate.rate,
      p99: ingress.fixedRate.ours.p99,
      ours: ingress.fixedRate.ours,
      theirs: ingress.fixedRate.theirs,
    },
    e2eLatencyMs: sync.e2eLatencyMs,
    apiCallsPerSync: Object.fromEntries(
      plan.sync.sizes.map((n) => [
        String(n),
        { ours: sync.ourCalls[String(n)]!, contentsApi: contents[String(n)]! },
      ]),
    ),
    coldStartMs: Object.fromEntries(
      Object.entries(coldStart.functions).map(([name, load]) => [name, load.ms]),
    ),
    coldStart,
    busThroughput,
    ai,
    targets: [],
    durationSeconds: 0,
  };
  result.targets = checkTargets(result);
  result.durationSeconds = (performance.now() - started) / 1000;
  return result;
}
