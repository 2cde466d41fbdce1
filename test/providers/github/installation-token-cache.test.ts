import { describe, expect, it } from 'vitest';
import { createTokenCache } from '../../../shared/providers/github/installation-token-cache.ts';

const entry = (expiresAt: string) => `ghs_token|2024-01-01T00:00:00Z|${expiresAt}|all|contents!`;

describe('installation token cache', () => {
  it.each([
    ['an hour left', '2024-01-01T01:00:00Z', true],
    ['six minutes left', '2024-01-01T00:06:00Z', true],
    ['four minutes left (inside the 5-minute margin)', '2024-01-01T00:04:00Z', false],
    ['expired', '2023-12-31T23:00:00Z', false],
    ['an unreadable expiry', 'soon', false],
  ])('with %s, serves the token: %s', (_name, expiresAt, served) => {
    const cache = createTokenCache(() => Date.parse('2024-01-01T00:00:00Z'));
    cache.set('k', entry(expiresAt));
    expect(cache.get('k')).toBe(served ? entry(expiresAt) : undefined);
  });
});
