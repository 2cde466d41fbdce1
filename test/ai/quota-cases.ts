import { expect, it } from 'vitest';
import { AiQuota } from '../../shared/ai/index.ts';
import type { StateStore } from '../../shared/ports/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import type { LoopbackAi } from '../support/loopback-ai/index.ts';
import { loopbackGateway, summaryRequest } from './support.ts';

/**
 * Budget and quota cases run on each state store. `open` gives one store per simulated instance
 * (its own connection or client), so in-process queueing cannot hide a race between instances.
 */
export function quotaCases(
  getLoop: () => LoopbackAi,
  open: () => Promise<StateStore[]>,
  tenantPrefix: string,
): void {
  const at = new Date('2026-12-06T12:00:00Z');
  const gateways = (stores: StateStore[], budgetPico?: number) =>
    stores.map((state) =>
      loopbackGateway(
        getLoop(),
        {},
        {
          quota: new AiQuota(state, {
            enterpriseDailyRequests: 5,
            monthlyBudgetPico: budgetPico,
            now: () => at,
          }),
        },
        ['openai'],
      ),
    );

  it('100 concurrent requests across 4 instances against a remaining quota of 10: exactly 10 served', async () => {
    const stores = await open();
    const all = gateways(stores);
    const tenant = `${tenantPrefix}-free`;
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        all[i % all.length]?.generate(summaryRequest({ tenant, tier: 'free' })),
      ),
    );
    const served = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(served).toHaveLength(10);
    expect(refused).toHaveLength(90);
    for (const r of refused) {
      expect(r.reason).toMatchObject({ code: 'rate_limited', headers: { 'retry-after': String(12 * 3600) } });
    }
    const day = await stores[0]?.get<{ requests: number }>(COLLECTIONS.aiUsage, `${tenant}~2026-12-06`);
    expect(day?.data.requests).toBe(10);
    const month = await stores[0]?.get<{ reservedPico: number; costPico: number }>(
      COLLECTIONS.aiUsage,
      `${tenant}~2026-12`,
    );
    expect(month?.data.reservedPico).toBe(0);
    // Default loopback usage 1200/200/300 on gpt-4.1-mini: 900,000,000 pico-USD each.
    expect(month?.data.costPico).toBe(10 * 900_000_000);
  }, 120_000);

  it('a call that no provider answers gives its request back', async () => {
    const stores = await open();
    const [gateway] = gateways(stores.slice(0, 1));
    const tenant = `${tenantPrefix}-failing`;
    getLoop().fault('openai', { status: 500, times: 3 });
    for (let i = 0; i < 3; i++) {
      await expect(gateway?.generate(summaryRequest({ tenant, tier: 'enterprise' }))).rejects.toMatchObject({
        code: 'unavailable',
      });
    }
    const day = await stores[0]?.get<{ requests: number }>(COLLECTIONS.aiUsage, `${tenant}~2026-12-06`);
    expect(day?.data.requests).toBe(0);
    for (let i = 0; i < 5; i++) await gateway?.generate(summaryRequest({ tenant, tier: 'enterprise' }));
    await expect(gateway?.generate(summaryRequest({ tenant, tier: 'enterprise' }))).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('the monthly budget refuses a call whose estimate would pass it, until next month', async () => {
    const stores = await open();
    // The estimate for summaryRequest on gpt-4.1-mini: ~100 input tokens × 0.4 $/Mtok + 512 output × 1.6 ≈ 0.86 m$;
    // after one call costing 0.9 m$, a budget of 1.5 m$ has no room for a second estimate.
    const [gateway] = gateways(stores.slice(0, 1), 1_500_000_000);
    const tenant = `${tenantPrefix}-budget`;
    await gateway?.generate(summaryRequest({ tenant, tier: 'pro' })); // costs 0.9 m$ (usage 1200/200/300)
    const err = await gateway?.generate(summaryRequest({ tenant, tier: 'pro' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', details: { limit: 'monthly-budget' } });
    expect((err as { headers: Record<string, string> }).headers['retry-after']).toBe(
      String(25 * 86_400 + 12 * 3600),
    );
  });
}
