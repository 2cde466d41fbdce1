import { calcPrice } from '@pydantic/genai-prices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelPrices } from '../../shared/ai/prices.ts';
import { costPicoUsd } from '../../shared/domain/index.ts';
import type { AiCallAudit } from '../../shared/records/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, type LoopbackProvider, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { summaryRequest } from './support.ts';

const usage = { inputTokens: 1200, cachedInputTokens: 200, outputTokens: 300 };

describe('cost from usage × the pinned price table', () => {
  // Hand-computed: (uncached input × input price + cached × cached price + output × output price),
  // prices in USD per million tokens = 1e6 pico-USD per token.
  const table: Array<[LoopbackProvider, string, number]> = [
    ['openai', 'gpt-4.1-mini', 1000 * 400_000 + 200 * 100_000 + 300 * 1_600_000], // 0.40 / 0.10 / 1.60
    ['anthropic', 'claude-haiku-4-5', 1000 * 1_000_000 + 200 * 100_000 + 300 * 5_000_000], // 1 / 0.10 / 5
    ['gemini', 'gemini-2.5-flash', 1000 * 300_000 + 200 * 30_000 + 300 * 2_500_000], // 0.30 / 0.03 / 2.50
  ];
  for (const [provider, model, expected] of table) {
    it(`${provider} ${model}: ${expected} pico-USD, as the table's own calculator says`, () => {
      const prices = modelPrices(provider, model);
      expect(prices).toBeDefined();
      const cost = costPicoUsd(usage, prices ?? { input: 0, cachedInput: 0, output: 0 });
      expect(cost).toBe(expected);
      const theirs = calcPrice(
        {
          input_tokens: usage.inputTokens,
          cache_read_tokens: usage.cachedInputTokens,
          output_tokens: usage.outputTokens,
        },
        model,
        { providerId: provider === 'gemini' ? 'google' : provider },
      );
      expect(Math.abs((theirs?.total_price ?? 0) * 1e12 - cost)).toBeLessThan(1);
    });
  }

  it('has no price for a model the table does not know (it goes last by cost; its calls are recorded unpriced)', () => {
    expect(modelPrices('openai', 'no-such-model-xyz')).toBeUndefined();
  });
});

describe('audit of every AI call', () => {
  let bridge: TestBridge;
  let loop: LoopbackAi;
  let tenantKey: string;
  beforeAll(async () => {
    loop = await startLoopbackAi();
    bridge = await startTestBridge({
      OPENAI_API_KEY: 'sk-audit-test-openai',
      OPENAI_BASE_URL: loop.baseUrls.openai,
      GEMINI_API_KEY: 'audit-test-gemini',
      GEMINI_BASE_URL: loop.baseUrls.gemini,
    });
    tenantKey = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' })).body.key;
  });
  afterAll(async () => {
    await bridge?.close();
    await loop?.close();
  });

  it('records each call with its exact cost; the recorded sum equals usage × price', async () => {
    const ai = await bridge.ctx.ai();
    const usages = [
      { inputTokens: 1200, cachedInputTokens: 200, outputTokens: 300 },
      { inputTokens: 7, cachedInputTokens: 0, outputTokens: 1 },
      { inputTokens: 123_457, cachedInputTokens: 99_999, outputTokens: 4_321 },
    ];
    let expected = 0;
    const prices = modelPrices('openai', 'gpt-4.1-mini');
    for (const [i, u] of usages.entries()) {
      loop.answer('openai', u);
      const answer = await ai?.generate(
        // Tier pro: the large usage below is within its tokens an hour (this test is about cost).
        summaryRequest({ tenant: i === 0 ? 'other' : 'acme', tier: 'pro', data: `secret design text ${i}` }),
      );
      expected += costPicoUsd(u, prices ?? { input: 0, cachedInput: 0, output: 0 });
      expect(answer?.usage).toEqual(u);
    }
    // One failed attempt (fails over to gemini): recorded too, at no cost.
    loop.fault('openai', { status: 503 });
    loop.answer('gemini', { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 });
    await ai?.generate(summaryRequest({ tier: 'pro' }));
    expected += costPicoUsd(
      { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 },
      modelPrices('gemini', 'gemini-2.5-flash') ?? { input: 0, cachedInput: 0, output: 0 },
    );

    const all = await bridge.api<{ items: AiCallAudit[] }>('GET', '/api/v1/ai/calls?pageSize=100');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.items.reduce((sum, c) => sum + c.costPicoUsd, 0)).toBe(expected);
    expect(all.body.items.map((c) => c.outcome).sort()).toEqual(['ok', 'ok', 'ok', 'ok', 'upstream_failed']);
    const first = all.body.items.at(-1);
    expect(first).toMatchObject({
      tenant: 'other',
      keyId: 'key1',
      purpose: 'summary',
      provider: 'openai',
      inputTokens: 1200,
    });
    expect(first?.promptSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(all.body)).not.toContain('secret design text');

    const stored = await bridge.ctx.state.get(COLLECTIONS.aiCalls, first?.id ?? '');
    expect(Date.parse(stored?.expireAt ?? '') - Date.parse(first?.at ?? '')).toBe(90 * 86_400_000);
  });

  it('a tenant lists its own calls only; another tenant is refused', async () => {
    const own = await bridge.api<{ items: AiCallAudit[] }>('GET', '/api/v1/ai/calls', undefined, tenantKey);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((c) => c.tenant === 'acme')).toBe(true);
    const other = await bridge.api('GET', '/api/v1/ai/calls?tenant=other', undefined, tenantKey);
    expect(other.status).toBe(403);
    const admin = await bridge.api<{ items: AiCallAudit[] }>('GET', '/api/v1/ai/calls?tenant=other');
    expect(admin.body.items.map((c) => c.tenant)).toEqual(['other']);
  });

  it('pages newest first', async () => {
    const page1 = await bridge.api<{ items: AiCallAudit[]; nextPageToken?: string }>(
      'GET',
      '/api/v1/ai/calls?pageSize=2',
    );
    expect(page1.body.items).toHaveLength(2);
    const page2 = await bridge.api<{ items: AiCallAudit[] }>(
      'GET',
      `/api/v1/ai/calls?pageSize=2&pageToken=${page1.body.nextPageToken}`,
    );
    const ats = [...page1.body.items, ...page2.body.items].map((c) => c.at);
    expect(ats).toEqual([...ats].sort().reverse());
  });
});
