import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, resolveRetryPolicy } from '../../shared/adapters/local/index.ts';

describe('retry backoff', () => {
  const policy = { maxAttempts: 10, minBackoffMs: 100, maxBackoffMs: 1_000 };

  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [60, 1_000],
  ])('waits after failed attempt %i: %i ms', (attempt, delay) => {
    expect(backoffDelay(attempt, policy)).toBe(delay);
  });

  it('defaults to 5 attempts, 1 s doubling up to 60 s, and keeps given values', () => {
    expect(resolveRetryPolicy()).toEqual({ maxAttempts: 5, minBackoffMs: 1_000, maxBackoffMs: 60_000 });
    expect(resolveRetryPolicy({ maxAttempts: 2, minBackoffMs: undefined })).toEqual({
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: 2,
    });
  });

  it.each([
    { maxAttempts: 0 },
    { maxAttempts: 1.5 },
    { minBackoffMs: -1 },
    { minBackoffMs: 10, maxBackoffMs: 5 },
  ])('rejects %o', (partial) => {
    expect(() => resolveRetryPolicy(partial)).toThrow(RangeError);
  });
});
