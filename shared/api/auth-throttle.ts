import { isIPv6 } from 'node:net';
import { AppError } from '../errors/index.ts';

export interface AuthThrottleLimits {
  /** Failed attempts a client may make at once (the bucket). */
  failures: number;
  /** The time in which that many failures are allowed again (the bucket refills evenly over it). */
  perMs: number;
  /** Clients remembered at most; the least recently failing is forgotten first. */
  maxClients: number;
}

export const DEFAULT_AUTH_THROTTLE: AuthThrottleLimits = {
  failures: 20,
  perMs: 60_000,
  maxClients: 10_000,
};

/**
 * What is throttled: an IPv4 address, or the /64 of an IPv6 address (one subscriber usually holds a
 * whole /64, so counting single IPv6 addresses would let one client rotate through 2^64 of them).
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) count as the IPv4 address.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]?.split('::') ?? [];
  const front = head ? head.split(':') : [];
  const back = address.includes('::') && tail ? tail.split(':') : [];
  const groups = [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Failed authentication attempts per client, as a token bucket in memory (per instance, like the
 * per-key RateLimiter). A client that used up its failures gets 429 with Retry-After for every
 * attempt, a right token included: answering a right token differently would let the guessing go on.
 * A success does not reset the count, or a caller holding one valid key could interleave it with
 * guesses at others. The map is bounded (maxClients), so a flood of addresses costs bounded memory.
 */
export class AuthThrottle {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly limits: AuthThrottleLimits;
  private readonly clock: () => number;

  constructor(limits: Partial<AuthThrottleLimits> = {}, clock: () => number = () => Date.now()) {
    this.limits = { ...DEFAULT_AUTH_THROTTLE, ...limits };
    this.clock = clock;
  }

  /** Throws `rate_limited` while this client has no failed attempt left. */
  check(address: string | undefined): void {
    const bucket = this.refilled(clientKey(address));
    if (!bucket || bucket.tokens >= 1) return;
    const refillPerMs = this.limits.failures / this.limits.perMs;
    const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
    throw new AppError('rate_limited', `Too many failed authentication attempts; retry in ${wait} s`, {
      headers: { 'retry-after': String(wait) },
    });
  }

  /** Counts one failed attempt of this client. */
  fail(address: string | undefined): void {
    const key = clientKey(address);
    const bucket = this.refilled(key) ?? { tokens: this.limits.failures, at: this.clock() };
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    // Re-inserted so the map's order is least recently failing first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.limits.maxClients) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
  }

  /** Clients currently remembered (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string): { tokens: number; at: number } | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const now = this.clock();
    const refill = ((now - bucket.at) * this.limits.failures) / this.limits.perMs;
    bucket.tokens = Math.min(this.limits.failures, bucket.tokens + Math.max(0, refill));
    bucket.at = now;
    if (bucket.tokens >= this.limits.failures) {
      this.buckets.delete(key); // back to a fresh client: nothing to remember
      return undefined;
    }
    return bucket;
  }
}
