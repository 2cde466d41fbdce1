import { describe, expect, it } from 'vitest';
import { costPicoUsd, parseWeights, picoPerToken, routeCandidates } from '../../shared/domain/index.ts';

const model = (provider: string, over: Record<string, unknown> = {}) => ({
  provider,
  model: `${provider}-m`,
  contextTokens: 200_000,
  structuredOutput: true,
  streaming: true,
  inputPerMtok: 1,
  outputPerMtok: 1,
  ...over,
});
const needs = {
  structuredOutput: true,
  streaming: false,
  minContextTokens: 1000,
  inputTokens: 1000,
  maxOutputTokens: 500,
};
const order = (xs: Array<{ provider: string }>) => xs.map((x) => x.provider);

describe('routeCandidates', () => {
  it.each([
    {
      name: 'cost: cheapest estimate first, unknown price last',
      models: [model('a', { outputPerMtok: 5 }), model('b', { inputPerMtok: undefined }), model('c')],
      policy: 'cost' as const,
      want: ['c', 'a', 'b'],
    },
    {
      name: 'cost: ties keep the configured order',
      models: [model('a'), model('b'), model('c')],
      policy: 'cost' as const,
      want: ['a', 'b', 'c'],
    },
    {
      name: 'latency: unmeasured first (to measure it), then fastest',
      models: [model('a', { latencyMs: 300 }), model('b', { latencyMs: 100 }), model('c')],
      policy: 'latency' as const,
      want: ['c', 'b', 'a'],
    },
    {
      name: 'needs: too small a context is left out; streaming does not matter to a caller that does not stream',
      models: [model('a', { contextTokens: 500 }), model('b', { streaming: false }), model('c')],
      policy: 'cost' as const,
      want: ['b', 'c'],
    },
  ])('$name', ({ models, policy, want }) => {
    expect(order(routeCandidates(models, needs, policy))).toEqual(want);
  });

  it('leaves out a model that cannot stream when the caller streams', () => {
    const models = [model('a', { streaming: false }), model('b')];
    expect(order(routeCandidates(models, { ...needs, streaming: true }, 'cost'))).toEqual(['b']);
  });

  it('weighted: picks by share of the weights, then orders the rest the same way', () => {
    const models = [model('a', { weight: 1 }), model('b', { weight: 3 }), model('c', { weight: 0 })];
    // r = 0.1 → 0.4 of 4 falls in a's share; then 0.1 × 3 falls in b's; c (weight 0) last.
    expect(order(routeCandidates(models, needs, 'weighted', () => 0.1))).toEqual(['a', 'b', 'c']);
    expect(order(routeCandidates(models, needs, 'weighted', () => 0.5))).toEqual(['b', 'a', 'c']);
  });

  it('parses weights and refuses a negative one', () => {
    expect(parseWeights('openai=3, gemini=0.5')).toEqual({ openai: 3, gemini: 0.5 });
    expect(() => parseWeights('openai=-1')).toThrow(/≥ 0/);
  });
});

describe('exact cost arithmetic', () => {
  it.each([
    [0.4, 400_000],
    [0.075, 75_000],
    [0.0375, 37_500],
    [15, 15_000_000],
  ])('%f USD per Mtok is %i pico-USD per token', (usd, pico) => {
    expect(picoPerToken(usd)).toBe(pico);
  });

  it('sums integer products: no floating-point drift over many calls', () => {
    const prices = { input: picoPerToken(0.1), cachedInput: picoPerToken(0.025), output: picoPerToken(0.4) };
    let total = 0;
    for (let i = 0; i < 10_000; i++)
      total += costPicoUsd({ inputTokens: 3, cachedInputTokens: 1, outputTokens: 7 }, prices);
    expect(total).toBe(10_000 * (2 * 100_000 + 25_000 + 7 * 400_000));
  });
});
