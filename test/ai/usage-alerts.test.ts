import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thresholdsCrossed } from '../../shared/domain/index.ts';
import { tenantKey } from '../api/support.ts';
import { countOf, sampleSum, scrape } from '../metrics/scrape.ts';
import { type Receiver, startReceiver } from '../notifications/support.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { summaryRequest } from './support.ts';

describe('AI usage alerts at 80, 90 and 100 %', () => {
  it('thresholds: each reached once, when usage first gets there', () => {
    expect(thresholdsCrossed(7, 8, 10)).toEqual([0.8]);
    expect(thresholdsCrossed(8, 9, 10)).toEqual([0.9]);
    expect(thresholdsCrossed(9, 10, 10)).toEqual([1]);
    expect(thresholdsCrossed(10, 11, 10)).toEqual([]);
    expect(thresholdsCrossed(0, 95, 100)).toEqual([0.8, 0.9]);
    expect(thresholdsCrossed(0, 5, 0)).toEqual([]);
  });

  describe('through the bridge: a free tenant’s daily quota notifies its webhook three times, then refuses', () => {
    let loop: LoopbackAi;
    let bridge: TestBridge;
    let hook: Receiver;
    beforeAll(async () => {
      loop = await startLoopbackAi();
      hook = await startReceiver();
      bridge = await startTestBridge({
        OPENAI_API_KEY: 'sk-loopback-openai',
        OPENAI_BASE_URL: loop.baseUrls.openai,
      });
      const { key } = await tenantKey(bridge, 'acme');
      const sub = await bridge.api(
        'POST',
        '/api/v1/notifications/subscriptions',
        { channel: 'webhook', url: `${hook.url}/ai`, triggers: ['ai-usage'] },
        key,
      );
      expect(sub.status).toBe(201);
    });
    afterAll(async () => {
      await bridge?.close();
      await loop?.close();
      await hook?.close();
    });

    it('8th, 9th and 10th request: 80, 90, 100 %; the 11th is refused and notifies nobody again', async () => {
      const ai = await bridge.ctx.ai();
      if (!ai) throw new Error('no gateway');
      for (let i = 0; i < 10; i++) await ai.generate(summaryRequest({ tenant: 'acme', tier: 'free' }));
      await expect(ai.generate(summaryRequest({ tenant: 'acme', tier: 'free' }))).rejects.toMatchObject({
        code: 'rate_limited',
      });
      await bridge.idle();
      // The notifications topic is unordered: the three arrive in any order.
      const titles = hook.received.map((r) => JSON.parse(r.body).title as string).sort();
      expect(titles).toEqual([
        expect.stringMatching(/^100 % of the daily AI request quota used/),
        expect.stringMatching(/^80 % of the daily AI request quota used/),
        expect.stringMatching(/^90 % of the daily AI request quota used/),
      ]);
      expect(JSON.parse(hook.received[0]?.body ?? '{}')).toMatchObject({
        trigger: 'ai-usage',
        tenant: 'acme',
      });
    });

    it('the meter counts each attempt, its cost and its latency', async () => {
      const families = await scrape(bridge, ADMIN_TOKEN);
      const ok = { provider: 'openai', outcome: 'ok', purpose: 'summary' };
      expect(sampleSum(families, 'bridge_ai_calls_total', ok)).toBe(10);
      expect(sampleSum(families, 'bridge_ai_cost_total', { provider: 'openai' })).toBeGreaterThan(0);
      expect(countOf(families, 'bridge_ai_latency', { provider: 'openai' })).toBe(10);
      // Tokens by kind: each loopback answer reports 1,200 input (200 of them cached) and 300 output.
      const tokens = (kind: string) =>
        sampleSum(families, 'bridge_ai_tokens_total', { provider: 'openai', kind });
      expect([tokens('input'), tokens('cached'), tokens('output')]).toEqual([10_000, 2_000, 3_000]);
      expect(sampleSum(families, 'bridge_ai_provider_available', { provider: 'openai' })).toBe(1);
      expect(sampleSum(families, 'bridge_ai_queue_depth', {})).toBe(0);
      // The free tier's 10 requests a day: all used.
      expect(sampleSum(families, 'bridge_ai_budget_used', { tenant: 'acme', limit: 'daily-requests' })).toBe(
        1,
      );
    });
  });
});
