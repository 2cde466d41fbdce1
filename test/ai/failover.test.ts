import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AiFault,
  type LoopbackAi,
  type LoopbackProvider,
  startLoopbackAi,
} from '../support/loopback-ai/index.ts';
import { loopbackGateway, summaryRequest } from './support.ts';

let loop: LoopbackAi;
beforeEach(async () => {
  loop = await startLoopbackAi();
});
afterEach(async () => {
  await loop.close();
});

describe('AI adapters through the official clients, against each wire format', () => {
  for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
    it(`${provider}: streams, parses usage, accepts the answer through the schema`, async () => {
      loop.answer(provider, {
        text: '{"summary":"two services"}',
        inputTokens: 1000,
        cachedInputTokens: 100,
        outputTokens: 50,
      });
      const gateway = loopbackGateway(loop, {}, {}, [provider]);
      const deltas: string[] = [];
      const answer = await gateway.generate(summaryRequest({ onText: (d) => deltas.push(d) }));
      expect(answer.value).toEqual({ summary: 'two services' });
      expect(answer.provider).toBe(provider);
      expect(answer.usage).toEqual({ inputTokens: 1000, cachedInputTokens: 100, outputTokens: 50 });
      expect(deltas.join('')).toBe('{"summary":"two services"}');
      expect(deltas.length).toBeGreaterThan(1);
      const sent = loop.requests.at(-1);
      expect(sent?.provider).toBe(provider);
      // Structured output asked for natively, with the schema the caller gave.
      const schemaSent = JSON.stringify(sent?.body);
      expect(schemaSent).toContain('"summary"');
      expect(schemaSent).toContain('<<<DATA');
    });
  }

  it('refuses an answer outside the schema and tries the next model', async () => {
    loop.answer('openai', { text: '{"nope":1}' });
    const gateway = loopbackGateway(loop, {}, {}, ['openai', 'gemini']);
    const answer = await gateway.generate(summaryRequest());
    expect(answer.provider).toBe('gemini');
    expect(answer.failedOver).toEqual([{ provider: 'openai', code: 'invalid_output' }]);
  });
});

describe('failover', () => {
  const faults: Array<[string, AiFault]> = [
    ['429 with Retry-After', { status: 429, retryAfterSeconds: 30 }],
    ['429 without Retry-After', { status: 429 }],
    ['500', { status: 500 }],
    ['503', { status: 503 }],
    ['a connection reset', { reset: true }],
    ['a slow first byte', { delayMs: 5_000 }],
    ['a stream that stalls after its headers', { stallAfterHeadersMs: 5_000 }],
    ['a connection cut mid-stream', { resetMidStream: true }],
  ];
  // Each provider as the one that fails first: cost order puts openai before gemini before anthropic;
  // weights put anthropic first.
  const orders: Array<[LoopbackProvider, LoopbackProvider[], Record<string, string>]> = [
    ['openai', ['openai', 'gemini'], {}],
    ['gemini', ['gemini', 'anthropic'], {}],
    [
      'anthropic',
      ['anthropic', 'openai'],
      { AI_ROUTING: 'weighted', AI_ROUTING_WEIGHTS: 'anthropic=1,openai=0' },
    ],
  ];
  for (const [first, only, env] of orders) {
    for (const [name, fault] of faults) {
      it(`moves from ${first} to the next provider on ${name}, in under 2 s`, async () => {
        loop.fault(first, fault);
        const gateway = loopbackGateway(loop, { AI_ATTEMPT_TIMEOUT_MS: '300', ...env }, {}, only);
        const started = performance.now();
        const answer = await gateway.generate(summaryRequest());
        const took = performance.now() - started;
        expect(answer.provider).toBe(only[1]);
        expect(answer.failedOver.map((f) => f.provider)).toEqual([first]);
        expect(loop.requests.map((r) => r.provider)).toEqual(only);
        expect(took).toBeLessThan(2_000);
      });
    }
  }

  it('does not fail over on a 400 caused by the request', async () => {
    loop.fault('openai', { status: 400 });
    const gateway = loopbackGateway(loop);
    await expect(gateway.generate(summaryRequest())).rejects.toMatchObject({ code: 'bad_request' });
    expect(loop.requests.map((r) => r.provider)).toEqual(['openai']);
  });

  it('does not fail over a streaming caller once text reached it', async () => {
    loop.fault('openai', { resetMidStream: true });
    const gateway = loopbackGateway(loop);
    const deltas: string[] = [];
    await expect(gateway.generate(summaryRequest({ onText: (d) => deltas.push(d) }))).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(deltas.length).toBeGreaterThan(0);
    expect(loop.requests.map((r) => r.provider)).toEqual(['openai']);
  });

  it('says unavailable with Retry-After when every provider fails', async () => {
    for (const p of ['openai', 'anthropic', 'gemini'] as const)
      loop.fault(p, { status: 429, retryAfterSeconds: 7 });
    const gateway = loopbackGateway(loop);
    const err = await gateway.generate(summaryRequest()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '7' } });
  });
});

describe('routing', () => {
  it('cost: cheapest estimate first (gpt-4.1-mini, then gemini-2.5-flash, then claude-haiku-4-5)', async () => {
    loop.fault('openai', { status: 500 });
    loop.fault('gemini', { status: 500 });
    const gateway = loopbackGateway(loop, { AI_ROUTING: 'cost' });
    await gateway.generate(summaryRequest());
    expect(loop.requests.map((r) => r.provider)).toEqual(['openai', 'gemini', 'anthropic']);
  });

  it('latency: the fastest measured model first', async () => {
    loop.fault('openai', { delayMs: 150, times: 1 });
    const gateway = loopbackGateway(loop, { AI_ROUTING: 'latency' }, {}, ['openai', 'anthropic']);
    await gateway.generate(summaryRequest()); // openai: unmeasured, first; slow
    await gateway.generate(summaryRequest()); // anthropic: still unmeasured
    await gateway.generate(summaryRequest()); // both measured: anthropic is faster
    expect(loop.requests.map((r) => r.provider)).toEqual(['openai', 'anthropic', 'anthropic']);
  });

  it('weighted: picks in proportion to the weights', async () => {
    const gateway = loopbackGateway(
      loop,
      { AI_ROUTING: 'weighted', AI_ROUTING_WEIGHTS: 'openai=0,anthropic=1,gemini=3' },
      { random: () => 0.5 },
    );
    const answer = await gateway.generate(summaryRequest());
    expect(answer.provider).toBe('gemini'); // 0.5 × 4 = 2 falls in gemini's share (1..4)
  });

  it('a tenant routed by its own policy (AI_TENANT_ROUTING); a request naming one wins over both', async () => {
    const gateway = loopbackGateway(
      loop,
      {
        AI_ROUTING: 'cost',
        AI_TENANT_ROUTING: 'acme=weighted',
        AI_ROUTING_WEIGHTS: 'openai=0,anthropic=1,gemini=0',
      },
      { random: () => 0 },
    );
    expect((await gateway.generate(summaryRequest({ tenant: 'acme' }))).provider).toBe('anthropic');
    expect((await gateway.generate(summaryRequest({ tenant: 'other' }))).provider).toBe('openai');
    expect((await gateway.generate(summaryRequest({ tenant: 'acme', policy: 'cost' }))).provider).toBe(
      'openai',
    );
  });

  it('filters by need: no model has a 5M-token context', async () => {
    const gateway = loopbackGateway(loop);
    await expect(gateway.generate(summaryRequest({ minContextTokens: 5_000_000 }))).rejects.toMatchObject({
      code: 'bad_request',
    });
    expect(loop.requests).toEqual([]);
  });
});
