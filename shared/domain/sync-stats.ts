/**
 * Sync health figures over a window of runs: counts, success and conflict rates, latency percentiles
 * and the same per time bucket, for the dashboard's charts. Pure: the API route reads the runs and
 * passes them in.
 */

/** What the figures read of one run (the operation record's fields). */
export interface RunSample {
  queuedAt: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  trigger: string;
  durationMs?: number;
  conflicts?: number;
  outcome?: string;
  error?: { code: string };
}

export interface LatencyFigures {
  /** Milliseconds; null when no run in the window finished with a duration. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RunFigures extends LatencyFigures {
  runs: number;
  succeeded: number;
  failed: number;
  /** Runs that opened at least one conflict. */
  conflicted: number;
}

export interface StatsBucket extends RunFigures {
  /** Start of the bucket (ISO 8601); it covers [start, start + bucketMinutes). */
  start: string;
}

export interface SyncStatsSummary {
  from: string;
  to: string;
  bucketMinutes: number;
  totals: RunFigures & {
    /** Queued or running at the time of reading. */
    inFlight: number;
    /** Succeeded / finished runs, 0..1; null when none finished. */
    successRate: number | null;
    /** Conflicted / finished runs, 0..1; null when none finished. */
    conflictRate: number | null;
  };
  /** Failed runs by error code, most frequent first. */
  errors: Array<{ code: string; count: number }>;
  buckets: StatsBucket[];
}

/** Settings changes are history entries, not syncs: they never count as runs. */
const NOT_A_RUN = new Set(['settings']);

/** Nearest-rank percentile of ascending `sorted` (0 < p ≤ 100); null for an empty list. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

function figures(runs: readonly RunSample[]): RunFigures {
  const durations = runs
    .filter((r) => r.status === 'succeeded' || r.status === 'failed')
    .map((r) => r.durationMs)
    .filter((d): d is number => typeof d === 'number' && Number.isFinite(d) && d >= 0)
    .sort((a, b) => a - b);
  return {
    runs: runs.length,
    succeeded: runs.filter((r) => r.status === 'succeeded').length,
    failed: runs.filter((r) => r.status === 'failed').length,
    conflicted: runs.filter((r) => (r.conflicts ?? 0) > 0).length,
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
    p99: percentile(durations, 99),
  };
}

/**
 * Figures for the runs queued in [from, to), bucketed by `bucketMinutes` from `from`. Runs outside
 * the window and settings entries are ignored.
 */
export function summarizeRuns(
  samples: readonly RunSample[],
  window: { from: Date; to: Date; bucketMinutes: number },
): SyncStatsSummary {
  const fromMs = window.from.getTime();
  const toMs = window.to.getTime();
  const bucketMs = window.bucketMinutes * 60_000;
  const runs = samples.filter((r) => {
    const at = Date.parse(r.queuedAt);
    return !NOT_A_RUN.has(r.trigger) && at >= fromMs && at < toMs;
  });

  const byBucket = new Map<number, RunSample[]>();
  for (const run of runs) {
    const index = Math.floor((Date.parse(run.queuedAt) - fromMs) / bucketMs);
    const list = byBucket.get(index) ?? [];
    list.push(run);
    byBucket.set(index, list);
  }
  const bucketCount = Math.ceil((toMs - fromMs) / bucketMs);
  const buckets: StatsBucket[] = [];
  for (let i = 0; i < bucketCount; i++) {
    buckets.push({ start: new Date(fromMs + i * bucketMs).toISOString(), ...figures(byBucket.get(i) ?? []) });
  }

  const errorCounts = new Map<string, number>();
  for (const run of runs) {
    if (run.status !== 'failed') continue;
    const code = run.error?.code ?? 'unknown';
    errorCounts.set(code, (errorCounts.get(code) ?? 0) + 1);
  }
  const totals = figures(runs);
  const finished = totals.succeeded + totals.failed;
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucketMinutes: window.bucketMinutes,
    totals: {
      ...totals,
      inFlight: runs.filter((r) => r.status === 'queued' || r.status === 'running').length,
      successRate: finished > 0 ? totals.succeeded / finished : null,
      conflictRate: finished > 0 ? totals.conflicted / finished : null,
    },
    errors: [...errorCounts]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    buckets,
  };
}
