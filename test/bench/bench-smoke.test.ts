import { describe, expect, it } from 'vitest';
import { percentile } from '../../bench/lib/stats.ts';
import { formatReport } from '../../bench/print-report.ts';
import type { BenchPlan } from '../../bench/run-benches.ts';
import { runBenches } from '../../bench/run-benches.ts';

// Tiny inputs: proves every bench module runs end to end and fills the JSON shape; no timing asserted.
const TINY: BenchPlan = {
  quick: true,
  ingress: { runs: 1, durationSeconds: 1, fixedRuns: 1, fixedDurationSeconds: 1, connections: 2 },
  sync: { sizes: [1, 3], runs: 1 },
  coldStart: { runs: 1, functions: ['github-webhook'] },
  bus: { links: 5, concurrency: 2, busMessages: 20 },
  ai: { runs: 1, overheadRuns: 3 },
};

const finite = expect.any(Number);

describe('npm run bench (smoke, tiny inputs)', () => {
  it('produces every figure of bench/results/latest.json and a report naming each target', async () => {
    const r = await runBenches(TINY);

    expect(r.machine).toMatchObject({ cpus: expect.any(Number), node: process.version });
    expect(Number.isFinite(r.ingressRatio)).toBe(true);
    expect(r.ingress.ratioRounds).toHaveLength(TINY.ingress.runs);
    for (const x of r.ingress.ratioRounds) expect(Number.isFinite(x)).toBe(true);
    expect(Number.isFinite(r.ingress.verifyOnlyRatio)).toBe(true);
    expect(Number.isFinite(r.ingress.metricsCost.throughput)).toBe(true);
    expect(r.ingress.oursIngressOnlyNoMetrics.requestsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(r.ingress.durableFloorRatio)).toBe(true);
    for (const side of [r.ingress.ours, r.ingress.theirs, r.ingress.sameWork, r.ingress.durableFloor]) {
      expect(side).toMatchObject({ requestsPerSecond: finite, p50: finite, p95: finite, p99: finite });
      expect(side.requestsPerSecond).toBeGreaterThan(0);
      expect(side.non2xx + side.errors).toBe(0);
      expect(side.peakRssMb).toBeGreaterThan(0);
      // Serving requests costs CPU: a reading of 0 would mean the child's usage never reached us.
      expect(side.cpuMicrosPerRequest).toBeGreaterThan(0);
    }
    expect(r.fixedRate200).toMatchObject({ rate: 200, p99: finite });

    expect(Object.keys(r.e2eLatencyMs)).toEqual(['1', '3']);
    expect(r.e2eLatencyMs['3']?.designToGithub.samples).toHaveLength(1);
    expect(r.e2eLatencyMs['3']?.githubToDesign.samples).toHaveLength(1);

    // Call counts are deterministic: the per-file baseline is 2 reads + one PUT (one commit) per file.
    expect(r.apiCallsPerSync['3']?.contentsApi).toEqual({ calls: 5, commits: 3 });
    expect(r.apiCallsPerSync['1']?.ours.github).toBe(r.apiCallsPerSync['3']?.ours.github);
    expect(r.apiCallsPerSync['3']?.ours.github).toBe(r.apiCallsPerSync['3']?.ours.githubSeenByLoopback);

    expect(Object.keys(r.coldStartMs)).toEqual(['github-webhook']);
    expect(r.coldStart.functions['github-webhook']?.files).toBeGreaterThan(1);
    expect(r.coldStart.peer.load.bytes).toBeGreaterThan(0);

    expect(r.busThroughput).toMatchObject({ links: 5, events: 5, noChangeOperations: 5 });
    expect(r.busThroughput.busOnly.messages).toBe(20);

    expect(Object.keys(r.ai.failoverMs)).toEqual(['429', '500', 'reset', 'slow first byte']);
    expect(r.ai.overheadMs).toMatchObject({ gateway: finite, direct: finite });
    expect(r.ai.reservationMs.sqlite).toBeGreaterThan(0);

    expect(r.targets).toHaveLength(10);
    const report = formatReport(r);
    for (const t of r.targets) expect(report).toContain(t.target);
    expect(report).toContain('ingressRatio');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  }, 90_000);

  it.each([
    { values: [5, 1, 3, 2, 4], p: 50, want: 3 },
    { values: [5, 1, 3, 2, 4], p: 100, want: 5 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 95, want: 95 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 99, want: 99 },
    { values: [7], p: 1, want: 7 },
  ])('nearest-rank percentile p$p of $values.length values is $want', ({ values, p, want }) => {
    expect(percentile(values, p)).toBe(want);
  });
});
