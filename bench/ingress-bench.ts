import { type LoadResult, runLoad } from './lib/load.ts';
import { startServerProcess } from './lib/server-process.ts';
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
  runs: LoadResult[];
}

export interface IngressResult {
  ours: IngressSide;
  theirs: IngressSide;
  /** Our median throughput divided by the middleware's. */
  ratio: number;
  fixedRate: {
    rate: number;
    ours: LoadResult & { runs: LoadResult[] };
    theirs: LoadResult & { runs: LoadResult[] };
  };
  payloadBytes: number;
}

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
 * middleware (verify, parse, emit), on the same signed push payload. Both servers run in forked
 * processes; autocannon runs here. Runs alternate between the two so drift affects both alike, and the
 * bridge's bus is drained between runs so each run starts from the same state.
 */
export async function runIngressBench(options: IngressOptions): Promise<IngressResult> {
  const body = examplePushBody();
  const headers = pushHeaders(body, SECRET);
  const env = { BENCH_WEBHOOK_SECRET: SECRET };
  const ours = await startServerProcess('bridge-server.ts', env);
  const theirs = await startServerProcess('octokit-server.ts', env);
  try {
    const servers = { ours, theirs };
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
    const max = { ours: [] as LoadResult[], theirs: [] as LoadResult[] };
    const fixed = { ours: [] as LoadResult[], theirs: [] as LoadResult[] };
    for (let run = 0; run < options.runs; run++) {
      const order = run % 2 === 0 ? (['ours', 'theirs'] as const) : (['theirs', 'ours'] as const);
      for (const side of order) {
        max[side].push(await load(servers[side].url, options.durationSeconds));
        await servers[side].idle();
      }
    }
    for (let run = 0; run < options.fixedRuns; run++) {
      for (const side of ['ours', 'theirs'] as const) {
        fixed[side].push(await load(servers[side].url, options.fixedDurationSeconds, options.fixedRate));
        await servers[side].idle();
      }
    }
    const side = async (name: 'ours' | 'theirs'): Promise<IngressSide> => ({
      ...medianOf(max[name]),
      peakRssMb: (await servers[name].maxRssBytes()) / (1024 * 1024),
      runs: max[name],
    });
    const o = await side('ours');
    const t = await side('theirs');
    return {
      ours: o,
      theirs: t,
      ratio: o.requestsPerSecond / t.requestsPerSecond,
      fixedRate: {
        rate: options.fixedRate,
        ours: { ...medianOf(fixed.ours), runs: fixed.ours },
        theirs: { ...medianOf(fixed.theirs), runs: fixed.theirs },
      },
      payloadBytes: Buffer.byteLength(body),
    };
  } finally {
    await ours.close();
    await theirs.close();
  }
}
