import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../shared/adapters/local/time-ordered-id.ts';

describe('timeOrderedId', () => {
  it('is a version 7 UUID whose first 48 bits are the milliseconds', () => {
    const at = Date.parse('2026-11-23T15:00:00.123Z');
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('is well formed for any clock reading: before 1970, past 48 bits, fractional or not a number', () => {
    for (const at of [-5, 2 ** 50, 1_700_000_000_000.7, Number.NaN]) {
      expect(timeOrderedId(at)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('sorts by time, and ids of one millisecond differ', () => {
    const ids = [0, 1, 2, 1_000, 2 ** 40].map((dt) => timeOrderedId(1_700_000_000_000 + dt));
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(same.size).toBe(1000);
  });
});
