import type { AiBenchResult } from './ai-bench.ts';
import type { BusThroughputResult } from './bus-throughput-bench.ts';
import type { ColdStartResult } from './cold-start-bench.ts';
import type { ContentsApiCalls } from './contents-api-baseline.ts';
import type { IngressResult } from './ingress-bench.ts';
import type { LoadResult } from './lib/load.ts';
import type { OurCalls, SizeLatency } from './sync-bench.ts';
import type { TargetCheck } from './targets.ts';

/** The shape of `bench/results/latest.json`. */
export interface BenchResult {
  date: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryMb: number;
    node: string;
    platform: string;
    arch: string;
  };
  /** Our ingress requests/s divided by the same-work @octokit/webhooks peer's (medians of runs). */
  ingressRatio: number;
  ingress: IngressResult;
  /** Fixed-rate run; `p99` is ours (the target), both sides in full beside it. */
  fixedRate200: { rate: number; p99: number; ours: LoadResult; theirs: LoadResult };
  e2eLatencyMs: Record<string, SizeLatency>;
  apiCallsPerSync: Record<string, { ours: OurCalls; contentsApi: ContentsApiCalls }>;
  /** Median module load per function entry point. */
  coldStartMs: Record<string, number>;
  coldStart: ColdStartResult;
  busThroughput: BusThroughputResult;
  /** AI layer: failover switchover per fault, overhead over the client, quota reservation. */
  ai: AiBenchResult;
  targets: TargetCheck[];
  durationSeconds: number;
}
