import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/index.ts';
import { UnverifiedIntake } from '../../shared/ingress/index.ts';

function intake(limits: { maxInFlight?: number; maxUnverifiedBytes?: number; evictAfterMs?: number } = {}) {
  const clock = { now: 0 };
  const it = new UnverifiedIntake(
    { maxInFlight: 2, maxUnverifiedBytes: 100, evictAfterMs: 1_000, ...limits },
    () => clock.now,
  );
  return { intake: it, clock };
}

function refusal(fn: () => void): { code: string; retryAfter?: string } | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const { code, headers } = err as AppError;
    return headers['retry-after'] ? { code, retryAfter: headers['retry-after'] } : { code };
  }
}

describe('UnverifiedIntake', () => {
  it('admits up to maxInFlight; a slot comes back when its request is done, once', () => {
    const { intake: i } = intake();
    const a = i.admit();
    const b = i.admit();
    expect(a && b).toBeTruthy();
    expect(i.admit()).toBeUndefined();
    a?.done();
    a?.done();
    expect(i.stats().inFlight).toBe(1);
    expect(i.admit()).toBeDefined();
    expect(i.admit()).toBeUndefined();
  });

  it.each([
    // already held by another, asked now, answer
    [0, 100, undefined],
    [0, 101, { code: 'payload_too_large' }],
    [60, 40, undefined],
    [60, 41, { code: 'unavailable', retryAfter: '1' }],
    [100, 1, { code: 'unavailable', retryAfter: '1' }],
  ])('with %d bytes held elsewhere, reserving %d more gives %j', (held, asked, answer) => {
    const { intake: i } = intake();
    const other = i.admit();
    other?.reserve(held);
    const me = i.admit();
    expect(refusal(() => me?.reserve(asked))).toEqual(answer);
  });

  it('a body counts as unverified until verified: then its bytes are free for others, its slot still held', () => {
    const { intake: i } = intake({ maxInFlight: 3 });
    const a = i.admit();
    a?.reserve(80);
    const b = i.admit();
    expect(refusal(() => b?.reserve(30))?.code).toBe('unavailable');
    a?.verified();
    expect(refusal(() => b?.reserve(30))).toBeUndefined();
    expect(i.stats()).toEqual({ inFlight: 2, unverified: 1, unverifiedBytes: 30 });
    a?.done();
    b?.done();
    expect(i.stats()).toEqual({ inFlight: 0, unverified: 0, unverifiedBytes: 0 });
  });

  it('when full, cuts the oldest body still arriving after evictAfterMs, never a verified one or a younger one', () => {
    const { intake: i, clock } = intake({ maxInFlight: 2, evictAfterMs: 1_000 });
    const verifiedOne = i.admit();
    verifiedOne?.verified();
    clock.now = 500;
    const slow = i.admit();
    clock.now = 1_400;
    expect(i.admit()).toBeUndefined(); // the slow one is 900 ms old: not yet
    clock.now = 1_500;
    const fresh = i.admit();
    expect(fresh).toBeDefined();
    expect(slow?.signal.aborted).toBe(true);
    expect((slow?.signal.reason as AppError | undefined)?.code).toBe('unavailable');
    expect(verifiedOne?.signal.aborted).toBe(false);
    slow?.done(); // the cut request finishing later does not free a second slot
    expect(i.stats().inFlight).toBe(2);
  });

  it('cuts slow bodies to make room in the byte budget, freeing their bytes at once', () => {
    const { intake: i, clock } = intake({ maxInFlight: 10, evictAfterMs: 1_000 });
    const slow = i.admit();
    slow?.reserve(90);
    clock.now = 2_000;
    const next = i.admit();
    expect(refusal(() => next?.reserve(50))).toBeUndefined();
    expect(slow?.signal.aborted).toBe(true);
    expect(i.stats()).toEqual({ inFlight: 1, unverified: 1, unverifiedBytes: 50 });
    slow?.reserve(10); // a late chunk of the cut request reserves nothing
    expect(i.stats().unverifiedBytes).toBe(50);
  });
});
