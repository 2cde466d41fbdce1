import { calcPrice } from '@pydantic/genai-prices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelPrices } from '../../shared/ai/prices.ts';
import { type AiTokenUsage, costPicoUsd } from '../../shared/domain/index.ts';
import type { AiCallAudit } from '../../shared/records/index.ts';
import { startTestBridge } from '../support/bridge.ts';
import { type LoopbackAi, type LoopbackProvider, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { loopbackGateway, summaryRequest } from './support.ts';

/**
 * Hand-computed: USD per million tokens = 1e6 pico-USD per token; a prompt above a tier's start
 * (more than 200,000 input tokens, cached and cache-written ones included) is priced at that tier
 * for every token of the request, as Google and Anthropic bill it.
 */
const cases: Array<[string, LoopbackProvider, string, AiTokenUsage, number]> = [
  [
    'gemini-2.5-pro at 300k input: the >200k tier (2.50 / 0.25 / 15)',
    'gemini',
    'gemini-2.5-pro',
    { inputTokens: 300_000, cachedInputTokens: 20_000, outputTokens: 1_000 },
    280_000 * 2_500_000 + 20_000 * 250_000 + 1_000 * 15_000_000,
  ],
  [
    'gemini-2.5-pro at exactly 200k input: still the base (1.25 / 0.125 / 10)',
    'gemini',
    'gemini-2.5-pro',
    { inputTokens: 200_000, cachedInputTokens: 20_000, outputTokens: 1_000 },
    180_000 * 1_250_000 + 20_000 * 125_000 + 1_000 * 10_000_000,
  ],
  [
    'claude-sonnet-4-5 at 250k input with cache writes: the >200k tier (6 / read 0.60 / write 7.50 / 22.50)',
    'anthropic',
    'claude-sonnet-4-5',
    { inputTokens: 250_000, cachedInputTokens: 50_000, cacheWriteTokens: 100_000, outputTokens: 2_000 },
    100_000 * 6_000_000 + 50_000 * 600_000 + 100_000 * 7_500_000 + 2_000 * 22_500_000,
  ],
  [
    'claude-sonnet-4-5 at 150k input: base (3 / read 0.30 / write 3.75 / 15)',
    'anthropic',
    'claude-sonnet-4-5',
    { inputTokens: 150_000, cachedInputTokens: 50_000, cacheWriteTokens: 40_000, outputTokens: 2_000 },
    60_000 * 3_000_000 + 50_000 * 300_000 + 40_000 * 3_750_000 + 2_000 * 15_000_000,
  ],
  [
    'claude-haiku-4-5 cache writes at the write price (1 / read 0.10 / write 1.25 / 5)',
    'anthropic',
    'claude-haiku-4-5',
    { inputTokens: 10_000, cachedInputTokens: 2_000, cacheWriteTokens: 3_000, outputTokens: 500 },
    5_000 * 1_000_000 + 2_000 * 100_000 + 3_000 * 1_250_000 + 500 * 5_000_000,
  ],
  [
    'claude-haiku-4-5 one-hour cache writes at the 1h write price (2)',
    'anthropic',
    'claude-haiku-4-5',
    {
      inputTokens: 10_000,
      cachedInputTokens: 2_000,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 1_000,
      outputTokens: 500,
    },
    5_000 * 1_000_000 + 2_000 * 100_000 + 2_000 * 1_250_000 + 1_000 * 2_000_000 + 500 * 5_000_000,
  ],
  [
    'gpt-4.1-mini cached input at the cached price (0.40 / 0.10 / 1.60)',
    'openai',
    'gpt-4.1-mini',
    { inputTokens: 5_000, cachedInputTokens: 4_000, outputTokens: 100 },
    1_000 * 400_000 + 4_000 * 100_000 + 100 * 1_600_000,
  ],
];

describe('tiered prices and cache writes, exactly', () => {
  for (const [name, provider, model, usage, expected] of cases) {
    it(`${name}: ${expected} pico-USD, as the table's own calculator says`, () => {
      const prices = modelPrices(provider, model);
      expect(prices).toBeDefined();
      if (!prices) return;
      const cost = costPicoUsd(usage, prices);
      expect(cost).toBe(expected);
      const theirs = calcPrice(
        {
          input_tokens: usage.inputTokens,
          cache_read_tokens: usage.cachedInputTokens,
          ...(usage.cacheWriteTokens ? { cache_write_tokens: usage.cacheWriteTokens } : {}),
          ...(usage.cacheWrite1hTokens ? { cache_write_1h_tokens: usage.cacheWrite1hTokens } : {}),
          output_tokens: usage.outputTokens,
        },
        model,
        { providerId: provider === 'gemini' ? 'google' : provider },
      );
      expect(Math.abs((theirs?.total_price ?? 0) * 1e12 - cost)).toBeLessThan(1);
    });
  }
});

describe('through the official clients', () => {
  let loop: LoopbackAi;
  beforeAll(async () => {
    loop = await startLoopbackAi();
  });
  afterAll(async () => {
    await loop?.close();
  });

  it('a tiered model (gemini-2.5-pro, 300k input) is costed at its tier, not 0', async () => {
    loop.answer('gemini', { inputTokens: 300_000, cachedInputTokens: 20_000, outputTokens: 1_000 });
    const gateway = loopbackGateway(loop, { GEMINI_MODEL: 'gemini-2.5-pro' }, {}, ['gemini']);
    const answer = await gateway.generate(summaryRequest());
    expect(answer.costPicoUsd).toBe(720_000_000_000);
  });

  it('Anthropic cache_creation_input_tokens (5 min and 1 h) reach the usage and are priced as writes', async () => {
    loop.answer('anthropic', {
      inputTokens: 10_000,
      cachedInputTokens: 2_000,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 1_000,
      outputTokens: 500,
    });
    const gateway = loopbackGateway(loop, {}, {}, ['anthropic']);
    const answer = await gateway.generate(summaryRequest());
    expect(answer.usage).toEqual({
      inputTokens: 10_000,
      cachedInputTokens: 2_000,
      cacheWriteTokens: 3_000,
      cacheWrite1hTokens: 1_000,
      outputTokens: 500,
    });
    expect(answer.costPicoUsd).toBe(12_200_000_000);
  });
});

describe('a model the price table does not know', () => {
  it('is recorded as unpriced in the audit, not as free', async () => {
    const loop = await startLoopbackAi();
    const bridge = await startTestBridge({
      OPENAI_API_KEY: 'sk-unpriced-test-openai',
      OPENAI_BASE_URL: loop.baseUrls.openai,
      OPENAI_MODEL: 'no-such-model-xyz',
    });
    try {
      const answer = await (await bridge.ctx.ai())?.generate(summaryRequest());
      expect(answer?.priced).toBe(false);
      const calls = await bridge.api<{ items: AiCallAudit[] }>('GET', '/api/v1/ai/calls');
      expect(calls.body.items).toHaveLength(1);
      expect(calls.body.items[0]).toMatchObject({ priced: false, costPicoUsd: 0 });
    } finally {
      await bridge.close();
      await loop.close();
    }
  });

  it('a priced model says so', async () => {
    const loop = await startLoopbackAi();
    try {
      const answer = await loopbackGateway(loop, {}, {}, ['openai']).generate(summaryRequest());
      expect(answer.priced).toBe(true);
      expect(answer.costPicoUsd).toBeGreaterThan(0);
    } finally {
      await loop.close();
    }
  });
});
