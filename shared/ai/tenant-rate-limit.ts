import { AppError } from '../errors/index.ts';

export interface TenantRateLimitOptions {
  /** Requests a minute each tenant may start (the bucket's refill), in this instance. */
  perMinute: number;
  /** Requests a tenant may start at once after being idle (the bucket's size). */
  burst: number;
  /** How long a request may wait for its turn before it is refused. */
  maxWaitMs: number;
  /** Requests of one tenant that may wait at once; beyond, refused at once. */
  maxQueued: number;
  now: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** Requests waiting, oldest first (FIFO within the tenant). */
  waiting: Array<() => void>;
  timer?: NodeJS.Timeout | undefined;
}

/**
 * Per-tenant request rate of the AI layer in one instance: a token bucket per tenant (`burst`, refilled
 * at `perMinute`) and, when it is empty, a bounded wait queue of its own. One tenant's flood waits in
 * its own queue and never delays another tenant's requests (fair by construction); a request that
 * cannot start within `maxWaitMs`, or finds the queue full, is refused with `rate_limited` and
 * Retry-After. The daily quota and monthly budget (AiQuota) hold across instances; this smooths bursts.
 */
export class TenantRateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private readonly options: TenantRateLimitOptions;

  constructor(options: TenantRateLimitOptions) {
    this.options = options;
  }

  private get refillMs(): number {
    return 60_000 / this.options.perMinute;
  }

  private refill(b: Bucket): void {
    const now = this.options.now();
    const gained = (now - b.at) / this.refillMs;
    b.tokens = Math.min(this.options.burst, b.tokens + gained);
    b.at = now;
  }

  /** Requests waiting over every tenant (the meter's AI queue depth). */
  queued(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.waiting.length;
    return n;
  }

  /** Resolves when the tenant may start a request; throws `rate_limited` when it would wait too long. */
  async take(tenant: string): Promise<void> {
    const b = this.buckets.get(tenant) ?? { tokens: this.options.burst, at: this.options.now(), waiting: [] };
    this.buckets.set(tenant, b);
    this.refill(b);
    if (b.waiting.length === 0 && b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    // Its turn comes after those already waiting, one refill each.
    const waitMs = (b.waiting.length + 1 - b.tokens) * this.refillMs;
    if (b.waiting.length >= this.options.maxQueued || waitMs > this.options.maxWaitMs) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new AppError(
        'rate_limited',
        `AI requests of tenant ${tenant} exceed ${this.options.perMinute} a minute (burst ${this.options.burst})`,
        { headers: { 'retry-after': String(seconds) }, details: { limit: 'requests-per-minute' } },
      );
    }
    await new Promise<void>((resolve) => {
      b.waiting.push(resolve);
      this.schedule(tenant, b);
    });
  }

  /** Lets the oldest waiting request go when a token has refilled; then waits for the next. */
  private schedule(tenant: string, b: Bucket): void {
    if (b.timer || b.waiting.length === 0) return;
    this.refill(b);
    const delay = b.tokens >= 1 ? 0 : (1 - b.tokens) * this.refillMs;
    b.timer = setTimeout(() => {
      b.timer = undefined;
      this.refill(b);
      const next = b.waiting.shift();
      if (next) {
        b.tokens = Math.max(0, b.tokens - 1);
        next();
      }
      if (b.waiting.length > 0) this.schedule(tenant, b);
      else if (b.tokens >= this.options.burst) this.buckets.delete(tenant);
    }, delay);
    b.timer.unref?.();
  }
}
