import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../shared/api/rate-limit.ts';
import { AppError } from '../../shared/errors/index.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, raw, tenantKey } from './support.ts';

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function retryAfterOf(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('rate_limited');
    return Number((err as AppError).headers['retry-after']);
  }
}

describe('RateLimiter (token bucket per key)', () => {
  it.each([
    // capacity, refill per second, expected Retry-After once the bucket is empty
    [3, 1, 1],
    [2, 0.5, 2],
    [5, 0.1, 10],
    [1, 4, 1],
  ])('capacity %d refilling %d/s: a burst of capacity, then Retry-After %d s', (capacity, refill, wait) => {
    const clock = manualClock();
    const limiter = new RateLimiter({ standard: { capacity, refillPerSecond: refill } }, clock.now);
    for (let i = 0; i < capacity; i++)
      expect(retryAfterOf(() => limiter.take('k', 'standard'))).toBeUndefined();
    expect(retryAfterOf(() => limiter.take('k', 'standard'))).toBe(wait);
    clock.advance(wait * 1000);
    expect(retryAfterOf(() => limiter.take('k', 'standard'))).toBeUndefined();
  });

  it('refills no further than capacity, and keys do not share a bucket', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ standard: { capacity: 2, refillPerSecond: 1 } }, clock.now);
    clock.advance(3_600_000);
    limiter.take('a', 'standard');
    limiter.take('a', 'standard');
    expect(retryAfterOf(() => limiter.take('a', 'standard'))).toBe(1);
    expect(retryAfterOf(() => limiter.take('b', 'standard'))).toBeUndefined();
  });

  it('an unknown tier falls back to standard', () => {
    const limiter = new RateLimiter({ standard: { capacity: 1, refillPerSecond: 1 } }, manualClock().now);
    limiter.take('k', 'gold');
    expect(retryAfterOf(() => limiter.take('k', 'gold'))).toBe(1);
  });
});

describe('429 through the real server', () => {
  const clock = manualClock();
  let bridge: TestBridge;
  beforeAll(async () => {
    const limiter = new RateLimiter(
      { standard: { capacity: 3, refillPerSecond: 0.5 }, admin: { capacity: 1000, refillPerSecond: 100 } },
      clock.now,
    );
    bridge = await startTestBridge({}, { rateLimiter: limiter });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('a key over its bucket gets 429 with Retry-After; other keys and the admin are unaffected', async () => {
    const noisy = await tenantKey(bridge, 'noisy');
    const quiet = await tenantKey(bridge, 'quiet');
    for (let i = 0; i < 3; i++) {
      expect((await raw(bridge, 'GET', '/api/v1/links', { token: noisy.key })).status).toBe(200);
    }
    const limited = await raw(bridge, 'GET', '/api/v1/links', { token: noisy.key });
    expect(expectError(limited, 429, 'rate_limited')).toContain('retry in 2 s');
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.text).not.toContain(noisy.key);
    // Every route spends from the same bucket, including writes.
    expect((await raw(bridge, 'POST', '/api/v1/links', { token: noisy.key })).status).toBe(429);

    expect((await raw(bridge, 'GET', '/api/v1/links', { token: quiet.key })).status).toBe(200);
    expect((await raw(bridge, 'GET', '/api/v1/links', { token: ADMIN_TOKEN })).status).toBe(200);

    clock.advance(2_000);
    expect((await raw(bridge, 'GET', '/api/v1/links', { token: noisy.key })).status).toBe(200);
    expect((await raw(bridge, 'GET', '/api/v1/links', { token: noisy.key })).status).toBe(429);
  });

  it('requests refused before auth do not spend a key’s tokens, and unauthenticated ones are 401 not 429', async () => {
    const key = await tenantKey(bridge, 'careful');
    for (let i = 0; i < 5; i++) {
      expect((await raw(bridge, 'GET', '/api/v1/links', { token: 'wrong' })).status).toBe(401);
    }
    for (let i = 0; i < 3; i++) {
      expect((await raw(bridge, 'GET', '/api/v1/links', { token: key.key })).status).toBe(200);
    }
  });
});
