import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorRateBreaker } from '../../shared/ai/error-rate-breaker.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { loopbackGateway, summaryRequest } from './support.ts';

describe('ErrorRateBreaker', () => {
  const make = () => {
    let t = 0;
    const breaker = new ErrorRateBreaker({
      name: 'p',
      failureRate: 0.5,
      minRequests: 4,
      windowMs: 10_000,
      cooldownMs: 1_000,
      now: () => t,
    });
    return { breaker, advance: (ms: number) => (t += ms) };
  };

  it('stays closed below the minimum number of requests, however many fail', () => {
    const { breaker } = make();
    for (let i = 0; i < 3; i++) breaker.record(true);
    expect(breaker.state().phase).toBe('closed');
  });

  it('opens at the failure rate over the minimum, then half-opens for one trial after the cool-down', () => {
    const { breaker, advance } = make();
    breaker.record(false);
    breaker.record(false);
    breaker.record(true);
    expect(breaker.state().phase).toBe('closed'); // 1 of 3
    breaker.record(true); // 2 of 4 = 50 %
    expect(breaker.state()).toMatchObject({ phase: 'open' });
    expect(breaker.tryAcquire()).toBe(false);
    advance(1_000);
    expect(breaker.state().phase).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one trial at a time
    breaker.record(false);
    expect(breaker.state()).toMatchObject({ phase: 'closed', requests: 0 });
  });

  it('reopens when the trial fails', () => {
    const { breaker, advance } = make();
    for (let i = 0; i < 4; i++) breaker.record(true);
    advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(true);
    expect(breaker.state().phase).toBe('open');
    expect(breaker.retryInMs()).toBe(1_000);
  });

  it('forgets outcomes older than the window', () => {
    const { breaker, advance } = make();
    for (let i = 0; i < 3; i++) breaker.record(true);
    advance(10_001);
    breaker.record(true);
    expect(breaker.state()).toMatchObject({ phase: 'closed', requests: 1 });
  });
});

describe('breakers in the gateway', () => {
  let loop: LoopbackAi;
  let t = 0;
  beforeEach(async () => {
    loop = await startLoopbackAi();
    t = 1_000_000;
  });
  afterEach(async () => {
    await loop.close();
  });
  const options = { now: () => t, breaker: { minRequests: 3, failureRate: 0.5, cooldownMs: 30_000 } };

  it('opens on a failing provider, skips it, and closes again after a good trial', async () => {
    loop.fault('openai', { status: 500, times: 3 });
    const gateway = loopbackGateway(loop, {}, options, ['openai', 'anthropic']);
    for (let i = 0; i < 3; i++) expect((await gateway.generate(summaryRequest())).provider).toBe('anthropic');
    expect(gateway.status().providers[0]?.circuit.phase).toBe('open');
    const before = loop.requests.length;
    expect((await gateway.generate(summaryRequest())).failedOver).toEqual([]);
    expect(loop.requests.slice(before).map((r) => r.provider)).toEqual(['anthropic']); // openai not called
    t += 30_000;
    expect(gateway.status().providers[0]?.circuit.phase).toBe('half-open');
    expect((await gateway.generate(summaryRequest())).provider).toBe('openai'); // the trial, healthy again
    expect(gateway.status().providers[0]?.circuit.phase).toBe('closed');
  });

  it('when every circuit is open, refuses at once with unavailable and a Retry-After', async () => {
    loop.fault('openai', { status: 503, times: Number.POSITIVE_INFINITY });
    loop.fault('anthropic', { reset: true, times: Number.POSITIVE_INFINITY });
    const gateway = loopbackGateway(loop, {}, options, ['openai', 'anthropic']);
    for (let i = 0; i < 3; i++)
      await expect(gateway.generate(summaryRequest())).rejects.toMatchObject({ code: 'unavailable' });
    const before = loop.requests.length;
    t += 10_000;
    const started = performance.now();
    const err = await gateway.generate(summaryRequest()).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(50);
    expect(err).toMatchObject({ code: 'unavailable', headers: { 'retry-after': '20' } });
    expect(loop.requests.length).toBe(before);
  });

  it('does not count a request the provider refused (400) against it', async () => {
    loop.fault('openai', { status: 400, times: 5 });
    const gateway = loopbackGateway(loop, {}, options, ['openai']);
    for (let i = 0; i < 5; i++)
      await expect(gateway.generate(summaryRequest())).rejects.toMatchObject({ code: 'bad_request' });
    expect(gateway.status().providers[0]?.circuit).toMatchObject({ phase: 'closed', failureRate: 0 });
  });
});

describe('a rate limit that names its wait', () => {
  it('holds the circuit open for the Retry-After when it is longer than the cool-down', () => {
    let t = 0;
    const breaker = new ErrorRateBreaker({ name: 'p', minRequests: 5, cooldownMs: 1_000, now: () => t });
    breaker.record(true, 500); // shorter than the cool-down: counted like any failure
    expect(breaker.state().phase).toBe('closed');
    breaker.record(true, 30_000);
    expect(breaker.state().phase).toBe('open');
    t += 29_999;
    expect(breaker.tryAcquire()).toBe(false);
    t += 1;
    expect(breaker.tryAcquire()).toBe(true);
  });
});
