import { type LoadResult, runLoad } from './lib/load.ts';
import { type ServerProcess, startServerProcess } from './lib/server-process.ts';
import { examplePushBody, pushHeaders } from './lib/signed-push.ts';
import { median } from './lib/stats.ts';

export interface IngressOptions {
  /** Runs per server (medians are reported). */
  runs: number;
  durationSeconds: number;
  /** Runs at the fixed rate per server. */
  fixedRuns: number;
  fixedDurationSeconds: number;
  fixedRate: number;
  connections: number;
}

export interface IngressSide {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
  /**
   * Server CPU time (all threads) per request, µs: from just before a run until the server is idle
   * again, so the full server's backlog drained after the run counts too. Median of the runs. Each
   * server saturates one core, so the throughput ratio is roughly the inverse ratio of these.
   */
  cpuMicrosPerRequest: number;
  runs: LoadResult[];
}

type FixedSide = LoadResult & { runs: LoadResult[] };

export interface IngressResult {
  /** The full local server: webhook handler plus the embedded bus delivering to the worker in-process. */
  ours: IngressSide;
  /** The verify-only peer: @octokit/webhooks' Node middleware whose handler does nothing. */
  theirs: IngressSide;
  /**
   * The same-work peer: the middleware with a handler that records the delivery (deduplicated) and
   * enqueues the event in SQLite per request — what a user would build for the bridge's work.
   */
  sameWork: IngressSide;
  /**
   * Diagnostic: the least durable, deduplicated ingress (servers/durable-floor-server.ts). Its ratio to
   * the verify-only middleware bounds what any durable ingress reaches in the same run.
   */
  durableFloor: IngressSide;
  /** Diagnostic: the webhook handler with SQLite state and queue but no consumer in the process. */
  oursIngressOnly: IngressSide;
  /** The same handler on a context without metrics: the peer for the cost of metrics. */
  oursIngressOnlyNoMetrics: IngressSide;
  /**
   * What metrics cost on the webhook path: 1 − throughput with / without (target < 0.05), and the
   * extra CPU per request with them, µs; medians over the rounds of the two runs made side by side.
   */
  metricsCost: { throughput: number; cpuMicrosPerRequest: number };
  /** Our (full local server) median throughput divided by the same-work peer's (target ≥ 1). */
  ratio: number;
  /** The same ratio in each round (the two run side by side), to show how much it moves run to run. */
  ratioRounds: number[];
  /** Our median throughput divided by the verify-only middleware's (target ≥ 0.7). */
  verifyOnlyRatio: number;
  /** The ingress-only variant's median throughput divided by the middleware's. */
  ingressOnlyRatio: number;
  /** The durable floor's median throughput divided by the middleware's. */
  durableFloorRatio: number;
  fixedRate: { rate: number } & Record<Side, FixedSide>;
  payloadBytes: number;
}

const SIDES = [
  'ours',
  'sameWork',
  'theirs',
  'durableFloor',
  'oursIngressOnly',
  'oursIngressOnlyNoMetrics',
] as const;
type Side = (typeof SIDES)[number];

const SECRET = 'bench-webhook-secret-0123456789';

function medianOf(runs: LoadResult[]): LoadResult {
  const m = (k: keyof LoadResult) => median(runs.map((r) => r[k]));
  return {
    requestsPerSecond: m('requestsPerSecond'),
    requests: m('requests'),
    p50: m('p50'),
    p95: m('p95'),
    p99: m('p99'),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

/**
 * `POST /github/webhook` on the bridge's local server (verify, dedupe with create-if-absent, durable
 * publish to the SQLite queue, worker consuming in the same process) against @octokit/webhooks' Node
 * middleware (verify, parse, emit) and the same middleware doing the same work (its handler records
 * the delivery and enqueues it in SQLite), on the same signed push payload. Both servers run in forked
 * processes (so the load generator, here, never shares their event loop); autocannon runs here. Runs alternate between the two so drift affects both alike, and the
 * bridge's bus is drained between runs so each run starts from the same state.
 */
export async function runIngressBench(options: IngressOptions): Promise<IngressResult> {
  const body = examplePushBody();
  const headers = pushHeaders(body, SECRET);
  const env = { BENCH_WEBHOOK_SECRET: SECRET };
  const servers = {} as Record<Side, ServerProcess>;
  try {
    servers.ours = await startServerProcess('bridge-server.ts', env);
    servers.theirs = await startServerProcess('octokit-server.ts', env);
    servers.sameWork = await startServerProcess('octokit-same-work-server.ts', env);
    servers.durableFloor = await startServerProcess('durable-floor-server.ts', env);
    servers.oursIngressOnly = await startServerProcess('bridge-ingress-server.ts', env);
    servers.oursIngressOnlyNoMetrics = await startServerProcess(
      'bridge-ingress-server.ts',
      { ...env, BENCH_METRICS: 'off' },
      'bridge-ingress-server.ts (no metrics)',
    );
    const load = (url: string, durationSeconds: number, overallRate?: number) =>
      runLoad({
        url,
        path: '/github/webhook',
        headers,
        body,
        durationSeconds,
        connections: options.connections,
        ...(overallRate ? { overallRate } : {}),
      });
    // Warm-up (JIT, SQLite page cache, connection pools); not reported.
    for (const s of Object.values(servers)) {
      await load(s.url, 1);
      await s.idle();
    }
    const empty = <T>() => Object.fromEntries(SIDES.map((s) => [s, [] as T[]])) as Record<Side, T[]>;
    const max = empty<LoadResult>();
    const cpu = empty<number>();
    const fixed = empty<LoadResult>();
    for (let run = 0; run < options.runs; run++) {
      const order = run % 2 === 0 ? SIDES : [...SIDES].reverse();
      for (const side of order) {
        const before = await servers[side].cpuMicros();
        const result = await load(servers[side].url, options.durationSeconds);
        await servers[side].idle();
        const used = (await servers[side].cpuMicros()) - before;
        max[side].push(result);
        cpu[side].push(used / Math.max(1, result.requests));
      }
    }
    for (let run = 0; run < options.fixedRuns; run++) {
      for (const side of SIDES) {
        fixed[side].push(await load(servers[side].url, options.fixedDurationSeconds, options.fixedRate));
        await servers[side].idle();
      }
    }
    const side = async (name: Side): Promise<IngressSide> => ({
      ...medianOf(max[name]),
      peakRssMb: (await servers[name].maxRssBytes()) / (1024 * 1024),
      cpuMicrosPerRequest: median(cpu[name]),
      runs: max[name],
    });
    const o = await side('ours');
    const t = await side('theirs');
    const w = await side('sameWork');
    const i = await side('oursIngressOnly');
    const n = await side('oursIngressOnlyNoMetrics');
    const f = await side('durableFloor');
    const fixedSide = (name: Side): FixedSide => ({ ...medianOf(fixed[name]), runs: fixed[name] });
    return {
      ours: o,
      theirs: t,
      sameWork: w,
      oursIngressOnly: i,
      oursIngressOnlyNoMetrics: n,
      durableFloor: f,
      // Paired: the two handler servers run next to each other in every round (SIDES ends with them,
      // and reversed starts with them), so each round's ratio compares like with like; the median of
      // the rounds' ratios is steadier than the ratio of two medians (runs vary ±15 % here).
      metricsCost: {
        throughput:
          1 -
          median(
            max.oursIngressOnly.map(
              (r, k) =>
                r.requestsPerSecond / (max.oursIngressOnlyNoMetrics[k]?.requestsPerSecond ?? Number.NaN),
            ),
          ),
        cpuMicrosPerRequest: median(
          cpu.oursIngressOnly.map((c, k) => c - (cpu.oursIngressOnlyNoMetrics[k] ?? Number.NaN)),
        ),
      },
      ratio: o.requestsPerSecond / w.requestsPerSecond,
      ratioRounds: max.ours.map(
        (r, k) => r.requestsPerSecond / (max.sameWork[k]?.requestsPerSecond ?? Number.NaN),
      ),
      verifyOnlyRatio: o.requestsPerSecond / t.requestsPerSecond,
      ingressOnlyRatio: i.requestsPerSecond / t.requestsPerSecond,
      durableFloorRatio: f.requestsPerSecond / t.requestsPerSecond,
      fixedRate: {
        rate: options.fixedRate,
        ours: fixedSide('ours'),
        theirs: fixedSide('theirs'),
        sameWork: fixedSide('sameWork'),
        durableFloor: fixedSide('durableFloor'),
        oursIngressOnly: fixedSide('oursIngressOnly'),
        oursIngressOnlyNoMetrics: fixedSide('oursIngressOnlyNoMetrics'),
      },
      payloadBytes: Buffer.byteLength(body),
    };
  } finally {
    for (const s of Object.values(servers)) await s.close();
  }
}
