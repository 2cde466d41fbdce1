import { describe, expect, it } from 'vitest';
import {
  limitUse,
  MAX_USAGE_GROUPS,
  OTHER_GROUP,
  picoToUsd,
  summarizeAiUsage,
  usageDays,
  usdToPico,
} from '../../../shared/domain/index.ts';

const call = (
  over: Partial<Parameters<typeof summarizeAiUsage>[0] extends Iterable<infer C> ? C : never>,
) => ({
  tenant: 't',
  purpose: 'summary',
  provider: 'openai',
  model: 'm',
  inputTokens: 1,
  cachedInputTokens: 0,
  outputTokens: 1,
  costPicoUsd: 1,
  outcome: 'ok',
  at: '2026-12-07T10:00:00.000Z',
  ...over,
});

describe('usageDays', () => {
  it.each([
    ['2026-12-07T00:00:00.000Z', 3, ['2026-12-05', '2026-12-06', '2026-12-07']],
    ['2026-03-01T23:59:59.999Z', 2, ['2026-02-28', '2026-03-01']],
    ['2027-01-01T05:00:00.000Z', 2, ['2026-12-31', '2027-01-01']],
  ])('%s, %i days', (now, n, days) => {
    expect(usageDays(new Date(now), n)).toEqual(days);
  });
});

describe('summarizeAiUsage', () => {
  it('leaves out calls outside the window and sums the rest per day', () => {
    const s = summarizeAiUsage(
      [call({ at: '2026-12-04T10:00:00.000Z' }), call({ costPicoUsd: 5 }), call({ outcome: 'timeout' })],
      ['2026-12-06', '2026-12-07'],
    );
    expect(s.totals).toMatchObject({ requests: 2, failed: 1, costPicoUsd: '6' });
    expect(s.perDay.map((d) => d.requests)).toEqual([0, 2]);
  });

  it(`keeps the ${MAX_USAGE_GROUPS} biggest spenders by name and sums the rest as ${OTHER_GROUP}`, () => {
    const calls = Array.from({ length: MAX_USAGE_GROUPS + 3 }, (_, i) =>
      call({ tenant: `t${String(i).padStart(2, '0')}`, costPicoUsd: 1000 - i }),
    );
    const s = summarizeAiUsage(calls, ['2026-12-07']);
    expect(s.byTenant).toHaveLength(MAX_USAGE_GROUPS + 1);
    expect(s.byTenant[0]?.key).toBe('t00');
    const other = s.byTenant.at(-1);
    expect(other).toMatchObject({ key: OTHER_GROUP, requests: 3 });
    // The three smallest: 1000-25 + 1000-26 + 1000-27.
    expect(other?.costPicoUsd).toBe(String(975 + 974 + 973));
    expect(other?.perDay.requests).toEqual([3]);
  });

  it('ties on spend go to more requests, then by name', () => {
    const s = summarizeAiUsage(
      [
        call({ purpose: 'b' }),
        call({ purpose: 'a' }),
        call({ purpose: 'c', costPicoUsd: 0 }),
        call({ purpose: 'c', costPicoUsd: 1 }),
      ],
      ['2026-12-07'],
    );
    expect(s.byPurpose.map((g) => g.key)).toEqual(['c', 'a', 'b']);
  });
});

describe('money and limits', () => {
  it('converts exactly at the cent and back', () => {
    expect(usdToPico(0.07)).toBe(70_000_000_000);
    expect(usdToPico(25)).toBe(25_000_000_000_000);
    expect(picoToUsd(123_456_789_012_345n)).toBe(123.456789012345);
  });

  it.each([
    [7, 10, 0.7, []],
    [8, 10, 0.8, [0.8]],
    [9, 10, 0.9, [0.8, 0.9]],
    [12, 10, 1.2, [0.8, 0.9, 1]],
    [0, 0, 1, [0.8, 0.9, 1]],
    [5, undefined, null, []],
  ])('%s of %s', (used, limit, share, reached) => {
    expect(limitUse(used, limit)).toEqual({ share, reached });
  });
});
