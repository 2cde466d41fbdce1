import { afterEach, describe, expect, it, vi } from 'vitest';
import { DueWaker } from '../../shared/adapters/local/due-waker.ts';

describe('DueWaker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks the due time up only when stale or idle, and wakes when it comes', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    let due: number | undefined = 1_000_500;
    let lookups = 0;
    let wakes = 0;
    const waker = new DueWaker(
      () => {
        lookups += 1;
        return due;
      },
      () => {
        wakes += 1;
      },
    );
    waker.refresh(false); // stale at first
    expect(lookups).toBe(1);
    waker.refresh(false); // not stale, something in flight: no lookup
    expect(lookups).toBe(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(wakes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(wakes).toBe(1);
    waker.refresh(false); // the wake made it stale again
    expect(lookups).toBe(2);

    // Already past: looked at again shortly, not never. Idle: always looked up.
    due = 0;
    waker.refresh(true);
    expect(lookups).toBe(3);
    await vi.advanceTimersByTimeAsync(5);
    expect(wakes).toBe(2);

    // Nothing due: no timer; stop() cancels a pending one.
    due = undefined;
    waker.markStale();
    waker.refresh(false);
    due = Date.now() + 10;
    waker.markStale();
    waker.refresh(false);
    waker.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(wakes).toBe(2);
  });
});
