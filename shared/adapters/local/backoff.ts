import type { RetryPolicy } from '../../ports/index.ts';

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  minBackoffMs: 1_000,
  maxBackoffMs: 60_000,
};

export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(partial) };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError('retry.maxAttempts must be an integer of at least 1');
  }
  if (policy.minBackoffMs < 0 || policy.maxBackoffMs < policy.minBackoffMs) {
    throw new RangeError('retry backoff must satisfy 0 <= minBackoffMs <= maxBackoffMs');
  }
  return policy;
}

/**
 * Delay before the next delivery after failed attempt number `attempt` (1-based): doubling from
 * minBackoffMs, capped at maxBackoffMs, as Pub/Sub's subscription retry policy does. No jitter, so
 * retries are deterministic in tests.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** exponent);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
