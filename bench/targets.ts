import type { BenchResult } from './bench-result.ts';
import { round } from './lib/stats.ts';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** The design's performance targets (each with its figure below), checked against one run's figures. */
export function checkTargets(r: BenchResult): TargetCheck[] {
  const sizes = Object.keys(r.e2eLatencyMs);
  const p50s = sizes.map((s) => r.e2eLatencyMs[s]!.p50);
  const p95s = sizes.map((s) => r.e2eLatencyMs[s]!.p95);
  const calls = sizes.map((s) => r.apiCallsPerSync[s]!.ours.github);
  const cold = Object.entries(r.coldStartMs);
  const worstCold = Math.max(...cold.map(([, ms]) => ms));
  const list = (xs: number[]) => xs.map((x) => round(x)).join(' / ');
  const failover = Object.entries(r.ai.failoverMs);
  const worstFailover = Math.max(...failover.map(([, l]) => l.p99));
  return [
    {
      target: 'Webhook ingress throughput ≥ @octokit/webhooks middleware doing the same work (ratio ≥ 1.0)',
      measured: `ratio ${round(r.ingressRatio)} (${round(r.ingress.ours.requestsPerSecond)} vs ${round(r.ingress.sameWork.requestsPerSecond)} req/s)`,
      met: r.ingressRatio >= 1,
    },
    {
      target: 'Webhook ingress throughput ≥ 0.7 of the verify-only middleware',
      measured: `ratio ${round(r.ingress.verifyOnlyRatio)} (${round(r.ingress.ours.requestsPerSecond)} vs ${round(r.ingress.theirs.requestsPerSecond)} req/s; the durable floor reached ${round(r.ingress.durableFloorRatio)})`,
      met: r.ingress.verifyOnlyRatio >= 0.7,
    },
    {
      target: 'Metrics cost on the webhook path < 5 % of throughput',
      measured: `${round(r.ingress.metricsCost.throughput * 100)} % (${round(r.ingress.oursIngressOnly.requestsPerSecond)} vs ${round(r.ingress.oursIngressOnlyNoMetrics.requestsPerSecond)} req/s; ${round(r.ingress.metricsCost.cpuMicrosPerRequest)} µs CPU per request)`,
      met: r.ingress.metricsCost.throughput < 0.05,
    },
    {
      target: `Webhook ingress p99 < 20 ms at ${r.fixedRate200.rate} req/s`,
      measured: `p99 ${round(r.fixedRate200.p99)} ms`,
      met: r.fixedRate200.p99 < 20,
    },
    {
      target: 'Event → other side updated: p50 < 300 ms',
      measured: `p50 ${list(p50s)} ms for ${sizes.join(' / ')} services`,
      met: p50s.every((x) => x < 300),
    },
    {
      target: 'Event → other side updated: p95 < 1 s',
      measured: `p95 ${list(p95s)} ms for ${sizes.join(' / ')} services`,
      met: p95s.every((x) => x < 1000),
    },
    {
      target: 'GitHub calls per sync constant in N, at most 5',
      measured: `${list(calls)} for ${sizes.join(' / ')} services (contents API: ${list(sizes.map((s) => r.apiCallsPerSync[s]!.contentsApi.calls))})`,
      met: calls.every((c) => c === calls[0]) && calls.every((c) => c <= 5),
    },
    {
      target: 'Each function module load < 300 ms',
      measured: `worst ${round(worstCold)} ms (${cold.map(([n, ms]) => `${n} ${round(ms)}`).join(', ')})`,
      met: cold.length > 0 && worstCold < 300,
    },
    {
      target: 'AI provider failover: p99 < 2 s (aim 0.5 s)',
      measured: `worst p99 ${round(worstFailover)} ms (${failover.map(([n, l]) => `${n} p50 ${round(l.p50)} / p99 ${round(l.p99)}`).join(', ')}; first-byte timeout ${r.ai.attemptTimeoutMs} ms)`,
      met: failover.length > 0 && worstFailover < 2000,
    },
    {
      target: 'AI orchestrator overhead < 1 ms per request',
      measured: `${round(r.ai.overheadMs.overhead)} ms (gateway ${round(r.ai.overheadMs.gateway)} vs client ${round(r.ai.overheadMs.direct)} ms; quota reserve+settle on SQLite ${round(r.ai.reservationMs.sqlite)} ms, on the Firestore emulator ${r.ai.reservationMs.firestore === undefined ? `not measured: ${r.ai.reservationMs.firestoreSkipped}` : `${round(r.ai.reservationMs.firestore)} ms`})`,
      met: r.ai.overheadMs.overhead < 1,
    },
  ];
}
