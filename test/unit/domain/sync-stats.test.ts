import { describe, expect, it } from 'vitest';
import { percentile, type RunSample, summarizeRuns } from '../../../shared/domain/index.ts';

const from = new Date('2026-12-01T00:00:00.000Z');
const to = new Date('2026-12-01T03:00:00.000Z');
const at = (minutes: number) => new Date(from.getTime() + minutes * 60_000).toISOString();
const run = (minutes: number, fields: Partial<RunSample> = {}): RunSample => ({
  queuedAt: at(minutes),
  status: 'succeeded',
  trigger: 'api',
  durationMs: 100,
  ...fields,
});

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(p·n) of the sorted list', () => {
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(percentile(ten, 50)).toBe(50);
    expect(percentile(ten, 95)).toBe(100);
    expect(percentile(ten, 10)).toBe(10);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('summarizeRuns', () => {
  it('counts runs, rates and latency over the window, per bucket', () => {
    const runs = [
      run(5, { durationMs: 100 }),
      run(10, { durationMs: 300, conflicts: 2 }),
      run(70, { status: 'failed', durationMs: 900, error: { code: 'rate_limited' } }),
      run(75, { status: 'failed', durationMs: 50, error: { code: 'unauthorized' } }),
      run(80, { status: 'failed', error: { code: 'rate_limited' } }),
      run(170, { status: 'running', durationMs: undefined }),
    ];
    const s = summarizeRuns(runs, { from, to, bucketMinutes: 60 });
    expect(s.buckets.map((b) => [b.start, b.runs, b.succeeded, b.failed, b.conflicted])).toEqual([
      [at(0), 2, 2, 0, 1],
      [at(60), 3, 0, 3, 0],
      [at(120), 1, 0, 0, 0],
    ]);
    expect(s.buckets[0]).toMatchObject({ p50: 100, p95: 300, p99: 300 });
    expect(s.buckets[1]).toMatchObject({ p50: 100, p95: 900 });
    // A running run has no duration yet: its bucket has no latency.
    expect(s.buckets[2]).toMatchObject({ p50: null, p95: null, p99: null });
    expect(s.totals).toMatchObject({ runs: 6, succeeded: 2, failed: 3, conflicted: 1, inFlight: 1 });
    expect(s.totals.successRate).toBeCloseTo(2 / 5);
    expect(s.totals.conflictRate).toBeCloseTo(1 / 5);
    expect(s.totals.p50).toBe(100);
    expect(s.errors).toEqual([
      { code: 'rate_limited', count: 2 },
      { code: 'unauthorized', count: 1 },
    ]);
  });

  it('leaves out runs outside the window and settings changes (history entries, not syncs)', () => {
    const s = summarizeRuns(
      [run(-1), run(180), run(30, { trigger: 'settings' }), run(30, { trigger: 'github-event' })],
      { from, to, bucketMinutes: 60 },
    );
    expect(s.totals.runs).toBe(1);
    expect(s.buckets.map((b) => b.runs)).toEqual([1, 0, 0]);
  });

  it('an empty window has empty buckets and no rates rather than zeros that read as failures', () => {
    const s = summarizeRuns([], { from, to, bucketMinutes: 15 });
    expect(s.buckets).toHaveLength(12);
    expect(s.totals).toMatchObject({ runs: 0, successRate: null, conflictRate: null, p99: null });
    expect(s.errors).toEqual([]);
  });

  it('ignores durations that are not finite non-negative numbers', () => {
    const s = summarizeRuns(
      [run(1, { durationMs: Number.NaN }), run(2, { durationMs: -5 }), run(3, { durationMs: 40 })],
      { from, to, bucketMinutes: 60 },
    );
    expect(s.totals).toMatchObject({ p50: 40, p99: 40, runs: 3 });
  });
});
