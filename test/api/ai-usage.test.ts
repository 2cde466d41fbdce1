import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../shared/api/api-keys.ts';
import { AiUsageResponse } from '../../shared/api/routes/ai-usage.ts';
import { COLLECTIONS, docId, listAiCallsSince, recordAiCall } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, raw } from './support.ts';

/** Noon UTC of today's date: every seeded "today" and "yesterday" is clear of the day boundary. */
const NOW = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00.000Z`);
const TODAY = NOW.toISOString().slice(0, 10);
const at = (daysAgo: number, hour: number) =>
  new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() - daysAgo, hour)).toISOString();
const dayOf = (daysAgo: number) => at(daysAgo, 0).slice(0, 10);

/** An audit record as the gateway writes it (object mother). */
function aCall(over: Record<string, unknown>) {
  return {
    tenant: 'acme',
    keyId: 'k1',
    purpose: 'summary',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    inputTokens: 0,
    cachedInputTokens: 0,
    outputTokens: 0,
    costPicoUsd: 0,
    priced: true,
    latencyMs: 100,
    outcome: 'ok',
    promptSha256: 'a'.repeat(64),
    at: at(0, 10),
    ...over,
  } as Parameters<typeof recordAiCall>[1];
}

type Usage = ReturnType<typeof AiUsageResponse.parse>;

describe('GET /api/v1/ai/usage', () => {
  let bridge: TestBridge;
  let acme: string;
  let globex: string;
  beforeAll(async () => {
    // A budget of 5 cents a month: 5e10 pico-USD.
    bridge = await startTestBridge({ AI_MONTHLY_BUDGET_USD: '0.05' }, { now: () => NOW });
    const state = bridge.ctx.state;
    acme = (await createApiKey(state, { tenant: 'acme', now: NOW })).key;
    globex = (await createApiKey(state, { tenant: 'globex', tier: 'starter', now: NOW })).key;
    const revoked = await createApiKey(state, { tenant: 'globex', tier: 'pro', now: NOW });
    await state.set(COLLECTIONS.apiKeys, revoked.doc.id, { ...revoked.doc, revokedAt: NOW.toISOString() });

    const calls = [
      aCall({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 100, costPicoUsd: 1_000_000_000 }),
      aCall({
        purpose: 'suggestion',
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        inputTokens: 2000,
        outputTokens: 300,
        costPicoUsd: 2_500_000_000,
        at: at(0, 9),
      }),
      aCall({ inputTokens: 500, outputTokens: 50, costPicoUsd: 400_000_000, at: at(1, 8) }),
      aCall({ outcome: 'upstream_failed', latencyMs: 2000, at: at(1, 7) }),
      // An unknown model: recorded at cost 0, unpriced.
      aCall({ model: 'gpt-next', inputTokens: 10, outputTokens: 5, priced: false, at: at(3, 6) }),
      // Outside 30 days, inside 90.
      aCall({ costPicoUsd: 7, inputTokens: 1, at: at(40, 6) }),
      // Two calls of 5,000 USD and one of a pico: their sum is past 2^53 pico-USD.
      aCall({
        tenant: 'globex',
        provider: 'gemini',
        model: 'gemini-2.5-pro',
        costPicoUsd: 5e15,
        at: at(0, 1),
      }),
      aCall({
        tenant: 'globex',
        provider: 'gemini',
        model: 'gemini-2.5-pro',
        costPicoUsd: 5e15,
        at: at(0, 2),
      }),
      aCall({ tenant: 'globex', provider: 'gemini', model: 'gemini-2.5-pro', costPicoUsd: 1, at: at(2, 3) }),
    ];
    for (const call of calls) await recordAiCall(state, call, 90);

    // The quota's own counters (shared/ai/ai-quota.ts): acme at 8 of free's 10 requests today and
    // 4.5 of its 5 cents this month; globex at 95 of starter's 100; initech at its override's 20.
    const month = TODAY.slice(0, 7);
    const usage = async (tenant: string, period: string, data: Record<string, unknown>) =>
      state.set(COLLECTIONS.aiUsage, docId(tenant, period), { tenant, ...data });
    await usage('acme', TODAY, { day: TODAY, requests: 8 });
    await usage('acme', month, { month, costPico: 45_000_000_000, reservedPico: 1_000_000_000, requests: 9 });
    await usage('globex', TODAY, { day: TODAY, requests: 95 });
    await usage('initech', TODAY, { day: TODAY, requests: 20 });
    await usage('acme', dayOf(1), { day: dayOf(1), requests: 3 });
    const expiresAt = new Date(NOW.getTime() + 86_400_000).toISOString();
    const put = await bridge.api('PUT', '/api/v1/ai/quota-overrides/initech', {
      dailyRequests: 20,
      expiresAt,
      reason: 'launch week',
    });
    expect(put.status).toBe(200);
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
