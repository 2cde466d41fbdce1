import { describe, expect, it } from 'vitest';
import { bestAiTier } from '../../../shared/domain/index.ts';

describe('bestAiTier: the tier a tenant is counted against when no single key asks', () => {
  it('the active key with the largest daily quota; revoked and tierless keys do not count', () => {
    expect(bestAiTier([{ tier: 'starter' }, { tier: 'pro', revokedAt: '2026-01-01' }, {}], 5000)).toEqual({
      tier: 'starter',
      dailyRequests: 100,
    });
  });
  it('ranks by quota, so an enterprise tier configured below pro does not win over pro', () => {
    expect(bestAiTier([{ tier: 'enterprise' }, { tier: 'pro' }], 500).tier).toBe('pro');
    expect(bestAiTier([{ tier: 'pro' }, { tier: 'enterprise' }], 5000).tier).toBe('enterprise');
  });
  it('no key, or only unknown tiers (a key’s default "standard"): free', () => {
    expect(bestAiTier([], 5000)).toEqual({ tier: 'free', dailyRequests: 10 });
    expect(bestAiTier([{ tier: 'standard' }], 5000).tier).toBe('free');
  });
});
