import { describe, expect, it } from 'vitest';
import { TenantRateLimit } from '../../shared/ai/index.ts';

/** 600 a minute: one token every 100 ms; burst 2; waits of at most 250 ms; 3 waiting per tenant. */
const limiter = () =>
  new TenantRateLimit({ perMinute: 600, burst: 2, maxWaitMs: 250, maxQueued: 3, now: () => Date.now() });

describe('per-tenant AI request rate (one instance)', () => {
  it('a burst starts at once, the next wait their turn in order, the one that would wait too long is refused', async () => {
    const limit = limiter();
    const order: string[] = [];
    const take = (tenant: string, label: string) =>
      limit.take(tenant).then(
        () => order.push(label),
        (err: unknown) => {
          order.push(`${label} refused`);
          return err;
        },
      );
    const a = [take('a', 'a1'), take('a', 'a2'), take('a', 'a3'), take('a', 'a4')];
    const refused = await take('a', 'a5');
    // Another tenant is never behind a's queue.
    await take('b', 'b1');
    await Promise.all(a);
    expect(order.slice(0, 4)).toEqual(['a1', 'a2', 'a5 refused', 'b1']);
    expect(order.slice(4)).toEqual(['a3', 'a4']);
    expect(refused).toMatchObject({
      code: 'rate_limited',
      headers: { 'retry-after': '1' },
      details: { limit: 'requests-per-minute' },
    });
  });

  it('a full queue refuses at once', async () => {
    const limit = new TenantRateLimit({
      perMinute: 60,
      burst: 1,
      maxWaitMs: 60_000,
      maxQueued: 1,
      now: () => Date.now(),
    });
    await limit.take('t');
    const waiting = limit.take('t');
    await expect(limit.take('t')).rejects.toMatchObject({ code: 'rate_limited' });
    void waiting.catch(() => undefined);
  });
});
