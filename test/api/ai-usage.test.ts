import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiUsageResponse } from '../../shared/api/routes/ai-usage.ts';
import { listAiCallsSince, recordAiCall } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { aCall, at, dayOf, NOW, seedAiUsage, TODAY } from './ai-usage-seed.ts';
import { expectError, raw } from './support.ts';

type Usage = ReturnType<typeof AiUsageResponse.parse>;

describe('GET /api/v1/ai/usage', () => {
  let bridge: TestBridge;
  let acme: string;
  let globex: string;
  beforeAll(async () => {
    // A budget of 5 cents a month: 5e10 pico-USD.
    bridge = await startTestBridge({ AI_MONTHLY_BUDGET_USD: '0.05' }, { now: () => NOW });
    ({ acme, globex } = await seedAiUsage(bridge.ctx.state));
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const usage = async (query: string, token?: string): Promise<Usage> => {
    const res = await bridge.api('GET', `/api/v1/ai/usage${query}`, undefined, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return AiUsageResponse.parse(res.body);
  };

  it('sums a tenant’s own calls by day, purpose and model, exactly, over 30 days by default', async () => {
    const u = await usage('', acme);
    expect(u.tenant).toBe('acme');
    expect(u.days).toHaveLength(30);
    expect(u.days.at(-1)).toBe(TODAY);
    expect(u.days[0]).toBe(dayOf(29));
    expect(u.totals).toEqual({
      requests: 5,
      failed: 1,
      inputTokens: 3510,
      cachedInputTokens: 200,
      outputTokens: 455,
      costPicoUsd: '3900000000',
      costUsd: 0.0039,
      unpricedRequests: 1,
    });
    const today = u.perDay.at(-1);
    expect(today).toMatchObject({ day: TODAY, requests: 2, costPicoUsd: '3500000000', outputTokens: 400 });
    expect(u.perDay.at(-2)).toMatchObject({
      day: dayOf(1),
      requests: 2,
      failed: 1,
      costPicoUsd: '400000000',
    });
    expect(u.perDay.at(-4)).toMatchObject({ requests: 1, unpricedRequests: 1, costPicoUsd: '0' });
    expect(u.perDay.reduce((n, d) => n + d.requests, 0)).toBe(5);
    // Most spend first: the one suggestion (0.0025) before the four summaries (0.0014).
    expect(u.byPurpose.map((g) => [g.key, g.requests, g.costPicoUsd])).toEqual([
      ['suggestion', 1, '2500000000'],
      ['summary', 4, '1400000000'],
    ]);
    expect(u.byPurpose[1]?.perDay.costUsd.slice(-2)).toEqual([0.0004, 0.001]);
    expect(u.byPurpose[1]?.perDay.requests.slice(-4)).toEqual([1, 0, 2, 1]);
    expect(u.byModel.map((g) => [g.key, g.requests, g.costUsd])).toEqual([
      ['anthropic/claude-haiku-4-5', 1, 0.0025],
      ['openai/gpt-4.1-mini', 3, 0.0014],
      ['openai/gpt-next', 1, 0],
    ]);
    expect(u.byTenant).toBeUndefined();
    expect(u.truncated).toBe(false);
  });

  it('gives the month’s budget and the day’s quota with the 80/90/100 % marks reached', async () => {
    const u = await usage('?days=7', acme);
    expect(u.limits).toEqual({
      day: TODAY,
      month: TODAY.slice(0, 7),
      marks: [0.8, 0.9, 1],
      capped: false,
      tenants: [
        {
          tenant: 'acme',
          budget: {
            month: TODAY.slice(0, 7),
            usedPicoUsd: '45000000000',
            usedUsd: 0.045,
            reservedUsd: 0.001,
            limitUsd: 0.05,
            share: 0.9,
            reached: [0.8, 0.9],
          },
          quota: { day: TODAY, used: 8, limit: 10, tier: 'free', share: 0.8, reached: [0.8] },
        },
      ],
    });
  });

  it('a longer window reaches older records; days outside it are left out', async () => {
    const u = await usage('?days=90', acme);
    expect(u.totals.requests).toBe(6);
    expect(u.totals.costPicoUsd).toBe('3900000007');
    expect((await usage('?days=1', acme)).totals).toMatchObject({ requests: 2, costPicoUsd: '3500000000' });
  });

  it('keeps tenants apart: another tenant’s figures are refused, its own exclude everyone else’s', async () => {
    const message = expectError(
      await raw(bridge, 'GET', '/api/v1/ai/usage?tenant=acme', { token: globex }),
      403,
      'forbidden',
    );
    expect(message).toMatch(/own AI usage/);
    const own = await usage('?tenant=globex', globex);
    expect(own.totals.requests).toBe(3);
    expect(own.byModel.map((g) => g.key)).toEqual(['gemini/gemini-2.5-pro']);
    expect(JSON.stringify(own)).not.toContain('acme');
    expect(own.limits.tenants.map((t) => t.tenant)).toEqual(['globex']);
    // The largest quota among globex's active keys: starter's 100 (its pro key is revoked).
    expect(own.limits.tenants[0]?.quota).toEqual({
      day: TODAY,
      used: 95,
      limit: 100,
      tier: 'starter',
      share: 0.95,
      reached: [0.8, 0.9],
    });
  });

  it('gives the admin every tenant (by tenant too, summed exactly past 2^53 pico-USD), or one with ?tenant=', async () => {
    const all = await usage('');
    expect(all.tenant).toBeUndefined();
    expect(all.totals.requests).toBe(8);
    expect(all.totals.costPicoUsd).toBe('10000003900000001');
    expect(all.byTenant?.map((g) => [g.key, g.requests, g.costPicoUsd])).toEqual([
      ['globex', 3, '10000000000000001'],
      ['acme', 5, '3900000000'],
    ]);
    expect(all.byTenant?.[0]?.costUsd).toBeCloseTo(10_000, 6);
    expect(all.limits.tenants.map((t) => [t.tenant, t.quota.used, t.quota.limit, t.quota.reached])).toEqual([
      ['acme', 8, 10, [0.8]],
      ['globex', 95, 100, [0.8, 0.9]],
      ['initech', 20, 20, [0.8, 0.9, 1]],
    ]);
    expect(all.limits.tenants[2]?.quota.override).toMatchObject({ dailyRequests: 20 });
    expect(all.limits.tenants[2]?.budget).toMatchObject({ usedPicoUsd: '0', share: 0, reached: [] });

    const one = await usage('?tenant=acme&days=30');
    expect(one.tenant).toBe('acme');
    expect(one.totals.costPicoUsd).toBe('3900000000');
    expect(one.byTenant?.map((g) => g.key)).toEqual(['acme']);
    expect(one.limits.tenants.map((t) => t.tenant)).toEqual(['acme']);
    const nobody = await usage('?tenant=nobody');
    expect(nobody.totals).toMatchObject({ requests: 0, costPicoUsd: '0' });
    expect(nobody.limits.tenants[0]?.quota).toMatchObject({ used: 0, limit: 10, reached: [] });
  });

  it('refuses bad parameters with a 400 that names them', async () => {
    for (const days of ['0', '91', 'abc', '1.5', '', '-3', '1e9']) {
      const message = expectError(
        await raw(bridge, 'GET', `/api/v1/ai/usage?days=${encodeURIComponent(days)}`),
        400,
        'validation_failed',
      );
      expect(message, days).toMatch(/^days: /);
    }
    for (const tenant of ['Bad_Name', '', 'x'.repeat(64), '../acme']) {
      const message = expectError(
        await raw(bridge, 'GET', `/api/v1/ai/usage?tenant=${encodeURIComponent(tenant)}`),
        400,
        'validation_failed',
      );
      expect(message, tenant).toMatch(/^tenant: /);
    }
    expectError(await raw(bridge, 'GET', '/api/v1/ai/usage', { token: null }), 401, 'unauthorized');
  });
});

describe('listAiCallsSince: bounded reads of the audit', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge({}, { now: () => NOW });
    const base = Date.parse(at(0, 0));
    for (let i = 0; i < 2100; i++) {
      await recordAiCall(bridge.ctx.state, aCall({ at: new Date(base + i * 1000).toISOString() }), 90);
    }
  }, 60_000);
  afterAll(async () => {
    await bridge?.close();
  });

  it('pages through every record of the window, newest first, when under the cap', async () => {
    const read = await listAiCallsSince(bridge.ctx.state, 'acme', at(0, 0), 5000);
    expect(read.truncated).toBe(false);
    expect(read.calls).toHaveLength(2100);
    expect(new Set(read.calls.map((c) => c.id)).size).toBe(2100);
    expect(read.calls[0]?.at).toBe(new Date(Date.parse(at(0, 0)) + 2099_000).toISOString());
  });

  it('stops at the cap and says from when on the figures are whole', async () => {
    const read = await listAiCallsSince(bridge.ctx.state, undefined, at(0, 0), 1500);
    expect(read.truncated).toBe(true);
    expect(read.calls).toHaveLength(1500);
    expect(read.coveredSince).toBe(new Date(Date.parse(at(0, 0)) + 600_000).toISOString());
    const exact = await listAiCallsSince(bridge.ctx.state, 'acme', at(0, 0), 2100);
    expect(exact).toMatchObject({ truncated: false });
    expect(exact.calls).toHaveLength(2100);
  });
});
