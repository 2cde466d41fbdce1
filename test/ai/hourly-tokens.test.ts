import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { AiQuota } from '../../shared/ai/index.ts';
import { aiHourlyTokens, decideQuota, quotaPeriods } from '../../shared/domain/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

describe('AI tokens an hour', () => {
  it('tiers and the hour period (UTC)', () => {
    expect(['free', 'starter', 'pro', 'enterprise', 'standard'].map((t) => aiHourlyTokens(t, 5))).toEqual([
      20_000, 200_000, 2_000_000, 5, 20_000,
    ]);
    expect(quotaPeriods(new Date('2026-12-06T23:59:59Z'))).toMatchObject({
      hour: '2026-12-06T23',
      hourEndsAt: new Date('2026-12-07T00:00:00Z'),
    });
    const usage = {
      dayRequests: 0,
      monthCostPico: 0,
      monthReservedPico: 0,
      hourTokens: 15_000,
      hourReservedTokens: 4_000,
    };
    expect(decideQuota(usage, { dailyRequests: 10, hourlyTokens: 20_000 }, 0, 1_000)).toEqual({ ok: true });
    expect(decideQuota(usage, { dailyRequests: 10, hourlyTokens: 20_000 }, 0, 1_001)).toEqual({
      ok: false,
      limit: 'hourly-tokens',
    });
  });

  describe('reserved before, settled after, on SQLite', () => {
    let store: SqliteStateStore;
    let remove: () => Promise<void>;
    beforeAll(async () => {
      const dir = await tempDir();
      remove = dir.remove;
      store = new SqliteStateStore({ file: `${dir.path}/q.sqlite` });
    });
    afterAll(async () => {
      await store?.close();
      await remove?.();
    });

    it('estimates count while in flight, actual tokens after; past the hour’s allowance a request is refused until the next hour', async () => {
      const now = new Date('2026-12-06T10:15:00Z');
      const quota = new AiQuota(store, { enterpriseDailyRequests: 0, now: () => now });
      const first = await quota.reserve('acme', 'free', 0, 12_000);
      // 12,000 estimated in flight: another 9,000 would pass the free 20,000.
      await expect(quota.reserve('acme', 'free', 0, 9_000)).rejects.toMatchObject({
        code: 'rate_limited',
        details: { limit: 'hourly-tokens' },
        headers: { 'retry-after': String(45 * 60) },
      });
      // The call used 3,000: 17,000 left this hour.
      await first?.settle({ served: true, costPico: 0, tokens: 3_000 });
      const second = await quota.reserve('acme', 'free', 0, 9_000);
      await second?.settle({ served: true, costPico: 0, tokens: 9_000 });
      await expect(quota.reserve('acme', 'free', 0, 8_001)).rejects.toMatchObject({ code: 'rate_limited' });
      // Another tenant has its own allowance.
      await expect(quota.reserve('globex', 'free', 0, 19_000)).resolves.toBeDefined();
    });
  });
});
