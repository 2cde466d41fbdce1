import type { BenchResult } from './bench-result.ts';
import { round } from './lib/stats.ts';

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? String(round(c)) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

const INGRESS_LABELS = {
  ours: 'bridge local server (verify+dedupe+durable publish; worker in-process)',
  sameWork: '@octokit/webhooks middleware + SQLite record and enqueue (same work)',
  theirs: '@octokit/webhooks middleware (verify+emit only)',
  durableFloor: 'durable floor (http+HMAC+parse+marker and event in SQLite, nothing else)',
  oursIngressOnly: 'bridge webhook handler only (same, no consumer in process)',
  oursIngressOnlyNoMetrics: 'bridge webhook handler only, without metrics',
} as const;

const INGRESS_SIDES = Object.keys(INGRESS_LABELS) as Array<keyof typeof INGRESS_LABELS>;

const mb = (bytes: number) => round(bytes / (1024 * 1024));

/** The human-readable summary printed by `npm run bench`. */
export function formatReport(r: BenchResult): string {
  const out: string[] = [];
  out.push(
    `Integration Bridge benchmarks — ${r.date}${r.quick ? ' (quick)' : ''}`,
    `Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.totalMemoryMb} MB, ${r.machine.platform}/${r.machine.arch}`,
    '',
    `1. Webhook ingress, POST /github/webhook, ${r.ingress.payloadBytes}-byte signed push (medians of ${r.ingress.ours.runs.length} runs; servers forked, autocannon here)`,
    table(
      ['server', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'non-2xx', 'errors', 'peak RSS MB', 'CPU µs/req'],
      INGRESS_SIDES.map((side) => {
        const s = r.ingress[side];
        return [
          INGRESS_LABELS[side],
          s.requestsPerSecond,
          s.p50,
          s.p95,
          s.p99,
          s.non2xx,
          s.errors,
          s.peakRssMb,
          s.cpuMicrosPerRequest,
        ];
      }),
    ),
    `ingressRatio (ours / same-work peer) = ${round(r.ingressRatio)} (by round: ${r.ingress.ratioRounds.map((x) => round(x)).join(', ')}); ours / verify-only middleware = ${round(r.ingress.verifyOnlyRatio)}; handler without in-process worker / verify-only = ${round(r.ingress.ingressOnlyRatio)}; durable floor / verify-only = ${round(r.ingress.durableFloorRatio)} (what durable work leaves of the verify-only figure in this run)`,
    `metrics cost on the webhook handler: ${round(r.ingress.metricsCost.throughput * 100)} % of throughput, ${round(r.ingress.metricsCost.cpuMicrosPerRequest)} µs CPU per request (medians of the side-by-side rounds)`,
    '',
    `   At a fixed ${r.fixedRate200.rate} req/s:`,
    table(
      ['server', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms'],
      INGRESS_SIDES.map((side) => {
        const s = r.ingress.fixedRate[side];
        return [INGRESS_LABELS[side], s.requestsPerSecond, s.p50, s.p95, s.p99];
      }),
    ),
    '',
    '2. Event accepted → other side written (loopback GitHub + Drive), ms',
    table(
      ['services', 'p50', 'p95', 'design→GitHub p50', 'p95', 'push→Drive p50', 'p95', 'runs/dir'],
      Object.entries(r.e2eLatencyMs).map(([n, l]) => [
        n,
        l.p50,
        l.p95,
        l.designToGithub.p50,
        l.designToGithub.p95,
        l.githubToDesign.p50,
        l.githubToDesign.p95,
        l.designToGithub.samples.length,
      ]),
    ),
    "   (GitHub's 80 writes/min pacing is lifted for the loopback so back-to-back syncs measure the bridge)",
    '',
    '3. Provider calls per sync',
    table(
      [
        'services',
        'ours GitHub',
        '(loopback log)',
        'ours Drive',
        'push sync GitHub',
        'contents API calls',
        'commits',
      ],
      Object.entries(r.apiCallsPerSync).map(([n, c]) => [
        n,
        c.ours.github,
        c.ours.githubSeenByLoopback,
        c.ours.drive,
        c.ours.githubOnPushSync,
        c.contentsApi.calls,
        c.contentsApi.commits,
      ]),
    ),
    '',
    '4. Cold start: module load in a fresh process (median), and the files it loads',
    table(
      ['module', 'load ms', 'files', 'size MB'],
      [
        ...Object.entries(r.coldStart.functions).map(([n, l]) => [
          `functions/${n}`,
          l.ms,
          l.files,
          mb(l.bytes),
        ]),
        [
          r.coldStart.peer.package,
          r.coldStart.peer.load.ms,
          r.coldStart.peer.load.files,
          mb(r.coldStart.peer.load.bytes),
        ],
      ],
    ),
    r.coldStart.peer.googleapisInstalled
      ? '   (peer: the full googleapis package)'
      : '   (the full googleapis package is not installed — not a dependency — so only @googleapis/drive was measured)',
    '',
    `5. Embedded bus and worker, ${r.busThroughput.links} links`,
    table(
      ['measure', 'events/s'],
      [
        ['webhooks accepted (ingress only)', r.busThroughput.ingressEventsPerSecond],
        ['ingress → bus → worker → no-op sync recorded', r.busThroughput.pipelineEventsPerSecond],
        [
          `bus alone (publish → no-op handler, ${r.busThroughput.busOnly.messages} msgs)`,
          r.busThroughput.busOnly.messagesPerSecond,
        ],
      ],
    ),
    `   ${r.busThroughput.note}`,
    '',
    'Targets (bench/targets.ts)',
    table(
      ['', 'target', 'measured'],
      r.targets.map((t) => [t.met ? 'MET' : 'NOT MET', t.target, t.measured]),
    ),
    '',
    `Took ${round(r.durationSeconds)} s.`,
  );
  return out.join('\n');
}
