import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiAnswer } from '../../shared/ports/index.ts';
import type { AiCallAudit } from '../../shared/records/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { summaryRequest } from './support.ts';

describe('load: 1,000 concurrent AI requests across 20 tenants', () => {
  let bridge: TestBridge;
  let loop: LoopbackAi;
  beforeAll(async () => {
    loop = await startLoopbackAi();
    bridge = await startTestBridge(
      {
        OPENAI_API_KEY: 'sk-load-openai',
        OPENAI_BASE_URL: loop.baseUrls.openai,
        GEMINI_API_KEY: 'load-gemini',
        GEMINI_BASE_URL: loop.baseUrls.gemini,
        // 1,000 streams and their server share one event loop here: first bytes come late. This test
        // is about quotas, cost and audit under load; failover timing has its own tests.
        AI_ATTEMPT_TIMEOUT_MS: '20000',
        // The per-minute rate has its own test; here every request reaches the quota.
        AI_TENANT_RPM: '100000',
        AI_TENANT_BURST: '1000',
      },
      { logLevel: 'warn' },
    );
  });
  afterAll(async () => {
    await bridge?.close();
    await loop?.close();
  });

  it('each is served or refused with Retry-After, none lost; every served one costed and audited', async () => {
    const ai = await bridge.ctx.ai();
    // Tiers: even tenants free (10 a day), odd ones starter (100): 50 requests each.
    const tenants = Array.from({ length: 20 }, (_, i) => ({
      tenant: `load-${i}`,
      tier: i % 2 === 0 ? 'free' : 'starter',
    }));
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, (_, i) => {
        const t = tenants[i % tenants.length] ?? { tenant: 'load-0', tier: 'free' };
        return ai?.generate(summaryRequest(t)) ?? Promise.reject(new Error('no gateway'));
      }),
    );
    const took = performance.now() - started;
    const served = results.filter(
      (r): r is PromiseFulfilledResult<AiAnswer<{ summary: string }>> => r.status === 'fulfilled',
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(served.length + refused.length).toBe(1000);
    expect(served).toHaveLength(10 * 10 + 10 * 50);
    for (const r of refused) {
      expect(r.reason).toMatchObject({ code: 'rate_limited' });
      expect(
        Number((r.reason as { headers: Record<string, string> }).headers['retry-after']),
      ).toBeGreaterThan(0);
    }
    // Default loopback usage 1200/200/300: gpt-4.1-mini 900,000,000 pico-USD, gemini-2.5-flash 1,056,000,000
    // (a request that failed over to gemini is costed at gemini's price).
    const price: Record<string, number> = { openai: 900_000_000, gemini: 1_056_000_000 };
    for (const s of served) expect(s.value.costPicoUsd).toBe(price[s.value.provider]);
    const audited = await bridge.ctx.state.query<AiCallAudit>(COLLECTIONS.aiCalls, { limit: 5000 });
    expect(audited.filter((a) => a.data.outcome === 'ok')).toHaveLength(served.length);
    const servedCost = served.reduce((sum, s) => sum + s.value.costPicoUsd, 0);
    expect(audited.reduce((sum, a) => sum + a.data.costPicoUsd, 0)).toBe(servedCost);
    const movedToGemini = served.filter((s) => s.value.provider === 'gemini').length;
    console.info(
      `1,000 AI requests (600 served, ${movedToGemini} of them after failover; 400 refused) in ${Math.round(took)} ms`,
    );
  }, 120_000);
});
