import { AppError } from '../errors/index.ts';

export interface TierLimit {
  /** Bucket size: the burst a key may spend at once. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export const DEFAULT_TIERS: Record<string, TierLimit> = {
  standard: { capacity: 60, refillPerSecond: 5 },
  admin: { capacity: 600, refillPerSecond: 50 },
};

/**
 * Token bucket per API key, in memory (per instance; on Cloud Run each instance enforces its own
 * share, which bounds abuse without a state-store write per request).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly tiers: Record<string, TierLimit>;
  private readonly clock: () => number;

  constructor(tiers: Record<string, TierLimit> = DEFAULT_TIERS, clock: () => number = () => Date.now()) {
    this.tiers = tiers;
    this.clock = clock;
  }

  /** Spends one token or throws `rate_limited` with the seconds until one is available. */
  take(key: string, tier: string): void {
    const limit = this.tiers[tier] ?? this.tiers.standard ?? { capacity: 60, refillPerSecond: 5 };
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: limit.capacity, at: now };
    bucket.tokens = Math.min(
      limit.capacity,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.refillPerSecond,
    );
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond));
      throw new AppError('rate_limited', `Rate limit exceeded for this API key; retry in ${wait} s`, {
        headers: { 'retry-after': String(wait) },
      });
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
