import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors/index.ts';
import { harnessPerTest, repoWithServices } from './fixtures.ts';

const TREES = '/git/trees/';

describe('GitHub provider: failures, retries and rate limits', () => {
  const start = harnessPerTest();

  it('retries a 502 and counts the retry as a call', async () => {
    const h = await start(repoWithServices(1));
    h.server.injectFault({ method: 'GET', path: TREES, status: 502 });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.architectureFiles).toHaveLength(2);
    expect(h.provider.callCount()).toBe(3);
  });

  it('gives up after the bounded retries with upstream_failed naming repo and operation', async () => {
    const h = await start(repoWithServices(1), { tuning: { retries: 2 } });
    const fault = h.server.injectFault({ method: 'GET', path: TREES, status: 500, times: Infinity });
    const err = await h.provider.readSnapshot('main').catch((e: unknown) => e);
    fault.cancel();
    expect(isAppError(err) && err.code).toBe('upstream_failed');
    expect((err as Error).message).toMatch(/tree listing on acme\/platform/);
    expect(h.provider.callCount()).toBe(3);
  });

  it.each([
    ['secondary', { kind: 'secondary-rate-limit' as const, retryAfterSeconds: 1 }],
    ['primary', { kind: 'primary-rate-limit' as const, resetInSeconds: 1 }],
  ])('waits out a %s rate limit and retries, logging it without secrets', async (kind, fault) => {
    const h = await start(repoWithServices(1), { auth: 'ghp_secret_in_logs' });
    h.server.injectFault({ method: 'POST', path: '/graphql', ...fault });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.serviceManifests).toHaveLength(1);
    const log = h.logLines.join('\n');
    expect(log).toContain(`GitHub ${kind} rate limit hit`);
    expect(log).not.toContain('ghp_secret_in_logs');
  });

  it('stops after the bounded rate-limit retries with rate_limited and a retry-after', async () => {
    const h = await start(repoWithServices(1), { tuning: { rateLimitRetries: 1 } });
    h.server.injectFault({
      path: TREES,
      kind: 'secondary-rate-limit',
      retryAfterSeconds: 7,
      times: Infinity,
    });
    const err = await h.provider.readSnapshot('main').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('rate_limited');
    expect(isAppError(err) && err.headers['retry-after']).toBe('7');
    expect(h.provider.callCount()).toBe(2);
  });

  it('does not wait for a rate limit that resets later than the configured maximum', async () => {
    const h = await start(repoWithServices(1), { tuning: { maxRateLimitWaitSeconds: 5 } });
    h.server.injectFault({ path: TREES, kind: 'primary-rate-limit', resetInSeconds: 3600 });
    const err = await h.provider.readSnapshot('main').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('rate_limited');
    expect(h.provider.callCount()).toBe(1);
    expect(h.provider.rateLimit()).toMatchObject({ remaining: 0 });
  });

  it.each([
    [403, 'forbidden', { message: 'Resource not accessible by integration' }],
    [404, 'not_found', { message: 'Not Found' }],
    [409, 'conflict', { message: 'Conflict' }],
    [422, 'validation_failed', { message: 'Validation Failed' }],
    [503, 'unavailable', { message: 'Service Unavailable' }],
  ])('maps a %i on a write to %s', async (status, code, body) => {
    const h = await start(repoWithServices(1), { tuning: { retries: 0 } });
    h.server.injectFault({ method: 'POST', path: '/issues', status, body });
    const err = await h.provider.openIssue({ title: 't', body: 'b' }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe(code);
    expect((err as Error).message).toContain('issue creation on acme/platform');
    expect(h.server.repo('acme/platform').issues).toHaveLength(0);
  });

  it('keeps working with a slow answer (delay fault) and tracks rate-limit headroom', async () => {
    const h = await start(repoWithServices(1));
    h.server.injectFault({ path: TREES, delayMs: 50 });
    await h.provider.readSnapshot('main');
    expect(h.provider.rateLimit()).toMatchObject({ limit: 5000, resource: 'graphql' });
    expect(h.provider.rateLimit()!.remaining).toBeLessThan(5000);
  });
});
