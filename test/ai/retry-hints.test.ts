import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AiStatus } from '../../shared/ports/index.ts';
import { type LoopbackAi, type LoopbackProvider, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { loopbackGateway, summaryRequest } from './support.ts';

let loop: LoopbackAi;
beforeEach(async () => {
  loop = await startLoopbackAi();
});
afterEach(async () => {
  await loop.close();
});

const circuitOf = (status: AiStatus, provider: LoopbackProvider) =>
  status.providers.find((p) => p.provider === provider)?.circuit;

describe('429 without Retry-After: how long to wait comes from what the provider did say', () => {
  it('gemini: the google.rpc.RetryInfo of its error body (retryDelay 43s), no header; fails over, and the circuit holds 43 s', async () => {
    loop.fault('gemini', { status: 429, retryDelay: '43s' });
    const gateway = loopbackGateway(loop, {}, {}, ['gemini', 'anthropic']);
    const answer = await gateway.generate(summaryRequest());
    expect(answer.provider).toBe('anthropic');
    expect(answer.failedOver).toEqual([{ provider: 'gemini', code: 'rate_limited' }]);
    expect(circuitOf(gateway.status(), 'gemini')?.phase).toBe('open');
    // Only gemini, still held: refused at once, with the time it asked for.
    const alone = loopbackGateway(loop, {}, {}, ['gemini']);
    loop.fault('gemini', { status: 429, retryDelay: '43.2s' });
    const err = await alone.generate(summaryRequest()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '44' } });
  });

  it('gemini without RetryInfo: fails over; refused alone with the default Retry-After (10 s), not 1', async () => {
    loop.fault('gemini', { status: 429 });
    const answer = await loopbackGateway(loop, {}, {}, ['gemini', 'anthropic']).generate(summaryRequest());
    expect(answer.failedOver).toEqual([{ provider: 'gemini', code: 'rate_limited' }]);
    loop.fault('gemini', { status: 429 });
    const err = await loopbackGateway(loop, {}, {}, ['gemini'])
      .generate(summaryRequest())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '10' } });
  });

  it('openai: x-ratelimit-reset-requests (a duration such as 1m30s) when there is no retry-after', async () => {
    loop.fault('openai', { status: 429, headers: { 'x-ratelimit-reset-requests': '1m30s' } });
    const gateway = loopbackGateway(loop, {}, {}, ['openai']);
    const err = await gateway.generate(summaryRequest()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '90' } });
    expect(circuitOf(gateway.status(), 'openai')?.phase).toBe('open');
  });

  it('openai: retry-after-ms', async () => {
    loop.fault('openai', { status: 429, headers: { 'retry-after-ms': '2500' } });
    const err = await loopbackGateway(loop, {}, {}, ['openai'])
      .generate(summaryRequest())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '3' } });
  });

  it('anthropic: anthropic-ratelimit-requests-reset (an RFC 3339 time) when there is no retry-after', async () => {
    const reset = new Date(Date.now() + 120_000).toISOString();
    loop.fault('anthropic', { status: 429, headers: { 'anthropic-ratelimit-requests-reset': reset } });
    const err = await loopbackGateway(loop, {}, {}, ['anthropic'])
      .generate(summaryRequest())
      .catch((e: unknown) => e);
    const seconds = Number((err as { headers?: Record<string, string> }).headers?.['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(110);
    expect(seconds).toBeLessThanOrEqual(120);
  });

  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider} with no hint at all: fails over; refused alone with the default (10 s)`, async () => {
      loop.fault(provider, { status: 429 });
      // Weights put the failing one first.
      const first = { AI_ROUTING: 'weighted', AI_ROUTING_WEIGHTS: `${provider}=1,gemini=0` };
      const answer = await loopbackGateway(loop, first, {}, [provider, 'gemini']).generate(summaryRequest());
      expect(answer.failedOver).toEqual([{ provider, code: 'rate_limited' }]);
      loop.fault(provider, { status: 429 });
      const err = await loopbackGateway(loop, {}, {}, [provider])
        .generate(summaryRequest())
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '10' } });
    });
  }

  it('every provider failing: the soonest any of them may answer (a 500 says 1 s)', async () => {
    loop.fault('openai', { status: 500 });
    loop.fault('anthropic', { status: 429, retryAfterSeconds: 20 });
    const err = await loopbackGateway(loop, {}, {}, ['openai', 'anthropic'])
      .generate(summaryRequest())
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '1' } });
  });
});

describe('retryAfterSeconds reads Gemini’s RetryInfo', () => {
  const body = {
    error: {
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '43s' }],
    },
  };
  it('from a plain JSON error message', async () => {
    const { retryAfterSeconds } = await import('../../shared/ai/retry-hint.ts');
    expect(retryAfterSeconds({ message: JSON.stringify(body) }, 0, true)).toBe(43);
  });
  it('from an error inside a stream (@google/genai prefixes "got status: …")', async () => {
    const { retryAfterSeconds } = await import('../../shared/ai/retry-hint.ts');
    const message = `got status: RESOURCE_EXHAUSTED. ${JSON.stringify(body)}`;
    expect(retryAfterSeconds({ message }, 0, true)).toBe(43);
  });
});
