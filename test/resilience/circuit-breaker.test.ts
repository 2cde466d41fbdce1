import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../shared/errors/index.ts';
import { CircuitBreaker, isTransientFailure } from '../../shared/resilience/index.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const fail = (err: unknown) => () => Promise.reject(err);
const ok = () => Promise.resolve('ok');
const upstream = () => new AppError('upstream_failed', 'GitHub failed with 502');

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('CircuitBreaker', () => {
  it.each([
    ['503', new AppError('unavailable', 'down'), true],
    ['5xx', new AppError('upstream_failed', 'bad gateway'), true],
    ['429 / secondary limit', new AppError('rate_limited', 'slow down'), true],
    ['connection reset (unmapped)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    ['404', new AppError('not_found', 'no'), false],
    ['412', new AppError('precondition_failed', 'moved'), false],
    ['409', new AppError('conflict', 'moved'), false],
    ['401', new AppError('unauthorized', 'no'), false],
  ])('classifies %s as transient=%s', (_name, err, transient) => {
    expect(isTransientFailure(err)).toBe(transient);
  });

  it('opens after N consecutive transient failures, rejects fast with unavailable + retry-after, half-opens after the cool-down and closes on success', async () => {
    const c = clock();
    const breaker = new CircuitBreaker({
      name: 'github:host',
      failureThreshold: 3,
      cooldownMs: 10_000,
      now: c.now,
    });
    for (let i = 0; i < 3; i++) await rejection(breaker.run(fail(upstream())));
    expect(breaker.state()).toMatchObject({ phase: 'open', consecutiveFailures: 3 });

    let called = false;
    const rejected = await rejection(
      breaker.run(async () => {
        called = true;
      }),
    );
    expect(called).toBe(false);
    expect(isAppError(rejected) && rejected.code).toBe('unavailable');
    expect((rejected as AppError).headers['retry-after']).toBe('10');
    expect(breaker.state()).toMatchObject({
      rejected: 1,
      openUntil: new Date(c.now() + 10_000).toISOString(),
    });

    c.advance(10_000);
    expect(breaker.state().phase).toBe('half-open');
    await expect(breaker.run(ok)).resolves.toBe('ok');
    expect(breaker.state()).toMatchObject({ phase: 'closed', consecutiveFailures: 0 });
  });

  it('half-open lets exactly one trial through; a failed trial reopens for another cool-down', async () => {
    const c = clock();
    const breaker = new CircuitBreaker({
      name: 'drive:host',
      failureThreshold: 1,
      cooldownMs: 5_000,
      now: c.now,
    });
    await rejection(breaker.run(fail(upstream())));
    c.advance(5_000);
    let release!: (v: unknown) => void;
    const trial = breaker.run(() => new Promise((_, reject) => (release = reject)));
    const second = await rejection(breaker.run(ok));
    expect((second as AppError).code).toBe('unavailable');
    release(upstream());
    await rejection(trial);
    expect(breaker.state()).toMatchObject({
      phase: 'open',
      openUntil: new Date(c.now() + 5_000).toISOString(),
    });
  });

  it('a non-transient answer resets the count (the host is up)', async () => {
    const breaker = new CircuitBreaker({ name: 'h', failureThreshold: 3, now: clock().now });
    await rejection(breaker.run(fail(upstream())));
    await rejection(breaker.run(fail(upstream())));
    await rejection(breaker.run(fail(new AppError('not_found', 'no such file'))));
    await rejection(breaker.run(fail(upstream())));
    expect(breaker.state()).toMatchObject({ phase: 'closed', consecutiveFailures: 1 });
  });

  it('stays open as long as a rate limit asked (retry-after longer than the cool-down)', async () => {
    const c = clock();
    const breaker = new CircuitBreaker({ name: 'h', failureThreshold: 1, cooldownMs: 1_000, now: c.now });
    await rejection(
      breaker.run(fail(new AppError('rate_limited', 'secondary', { headers: { 'retry-after': '30' } }))),
    );
    c.advance(29_000);
    expect(breaker.state().phase).toBe('open');
    c.advance(1_000);
    expect(breaker.state().phase).toBe('half-open');
  });
});
