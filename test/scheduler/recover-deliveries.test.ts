import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../shared/ports/index.ts';
import { createScheduler, lastRecovery, recoverDeliveries } from '../../shared/scheduler/index.ts';
import {
  deliveryAttempt,
  type LoopbackAppHooks,
  startLoopbackAppHooks,
} from './support/loopback-app-hooks.ts';
import { type Harness, startHarness, testClock } from './support/scheduler-harness.ts';

const HOUR = 3_600_000;
let h: Harness | undefined;
let hooks: LoopbackAppHooks | undefined;
afterEach(async () => {
  await h?.close();
  await hooks?.close();
  h = undefined;
  hooks = undefined;
});

async function setup(options: { pageSize?: number; redeliveryStatusCode?: number } = {}) {
  const clock = testClock();
  hooks = await startLoopbackAppHooks({ now: clock.now, ...options });
  h = await startHarness(
    { GITHUB_APP_ID: hooks.appId, GITHUB_APP_PRIVATE_KEY: hooks.privateKey, GITHUB_API_URL: hooks.url },
    clock,
  );
  const ago = (hours: number) => new Date(clock.ms() - hours * HOUR);
  return { h, hooks, clock, ago };
}

describe('recover-deliveries job', () => {
  it('redelivers once each guid with no success in 3 days, and records the run', async () => {
    const { h, hooks, ago } = await setup({ pageSize: 3 });
    const failedOnce = deliveryAttempt('guid-failed', ago(5), 500);
    const failedTwice = [
      deliveryAttempt('guid-twice', ago(30), 0),
      deliveryAttempt('guid-twice', ago(20), 502),
    ];
    hooks.seed([
      failedOnce,
      ...failedTwice,
      deliveryAttempt('guid-ok', ago(2), 200),
      deliveryAttempt('guid-recovered', ago(10), 500),
      deliveryAttempt('guid-recovered', ago(9), 200, { redelivery: true }),
      deliveryAttempt('guid-ancient', ago(80), 500),
    ]);

    await createScheduler(h.ctx)(h.message(TOPICS.schedulerJobs, { job: 'recover-deliveries' }));

    // Oldest failure first; for a guid tried twice, its latest attempt.
    expect(hooks.redeliveries).toEqual([failedTwice[1]?.id, failedOnce.id]);
    expect(hooks.schemaErrors).toEqual([]);
    // Paged with the cursor from the Link header (page size 3, 7 attempts).
    expect(hooks.requests.filter((r) => r.path.startsWith('/app/hook/deliveries?')).length).toBe(3);
    expect(hooks.requests.some((r) => r.path.includes('cursor='))).toBe(true);
    const summary = await lastRecovery(h.ctx);
    expect(summary).toMatchObject({
      status: 'ok',
      checked: 4,
      failed: 2,
      redelivered: 2,
      skipped: 0,
      errors: 0,
      redeliveredGuids: ['guid-twice', 'guid-failed'],
      at: h.clock.now().toISOString(),
    });

    // The redeliveries succeeded: a later run finds nothing to do.
    h.clock.advance(HOUR);
    expect(await recoverDeliveries(h.ctx)).toMatchObject({ failed: 0, redelivered: 0 });
    expect(hooks.redeliveries).toHaveLength(2);
  });

  it('does not redeliver a guid again when its redelivery failed too', async () => {
    const { h, hooks, ago } = await setup({ redeliveryStatusCode: 503 });
    hooks.seed([deliveryAttempt('guid-a', ago(1), 500)]);
    expect(await recoverDeliveries(h.ctx)).toMatchObject({ redelivered: 1 });
    h.clock.advance(HOUR);
    expect(await recoverDeliveries(h.ctx)).toMatchObject({ failed: 1, redelivered: 0, skipped: 1 });
    expect(hooks.redeliveries).toHaveLength(1);
  });

  it('is bounded per run and picks up the rest on the next run', async () => {
    const { h, hooks, ago } = await setup();
    hooks.seed(Array.from({ length: 7 }, (_, i) => deliveryAttempt(`guid-${i}`, ago(i + 1), 500)));
    expect(await recoverDeliveries(h.ctx, { maxRedeliveries: 5 })).toMatchObject({
      failed: 7,
      redelivered: 5,
      deferred: 2,
    });
    expect(await recoverDeliveries(h.ctx, { maxRedeliveries: 5 })).toMatchObject({
      failed: 2,
      redelivered: 2,
      deferred: 0,
    });
    expect(new Set(hooks.redeliveries).size).toBe(7);
  });

  it('forgets a guid whose redelivery request failed, so the next run tries it again', async () => {
    const { h, hooks, ago } = await setup();
    const attempt = deliveryAttempt('guid-a', ago(1), 500);
    hooks.seed([attempt]);
    hooks.failNextRedeliveries(422);
    expect(await recoverDeliveries(h.ctx)).toMatchObject({ redelivered: 0, errors: 1 });
    expect(await recoverDeliveries(h.ctx)).toMatchObject({ redelivered: 1, errors: 0 });
    expect(hooks.redeliveries).toEqual([attempt.id]);
  });

  it('records "skipped: no GitHub App" without one', async () => {
    h = await startHarness({ GITHUB_TOKEN: 'ghp_notAnApp' });
    await createScheduler(h.ctx)(h.message(TOPICS.schedulerJobs, { job: 'recover-deliveries' }));
    expect(await lastRecovery(h.ctx)).toMatchObject({
      status: 'skipped',
      reason: 'no GitHub App',
      redelivered: 0,
    });
  });

  it('records a failed listing (rejected JWT) and acknowledges; nothing secret is logged', async () => {
    const { h, hooks } = await setup();
    const other = await startLoopbackAppHooks({ now: h.clock.now });
    try {
      // A key the server does not know: GitHub answers 401.
      const ctx = { ...h.ctx, config: { ...h.ctx.config, GITHUB_API_URL: other.url } };
      const summary = await recoverDeliveries(ctx);
      expect(summary).toMatchObject({ status: 'failed', errors: 1 });
      expect(summary.reason).toMatch(/401|JWT/);
    } finally {
      await other.close();
    }
    const logged = h.lines.join('\n');
    expect(logged).not.toContain(hooks.privateKey.split('\n')[1]);
    expect(logged).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('a GitHub that accepts the connection and never answers fails the run within the request timeout', async () => {
    const clock = testClock();
    const hooksFor = await startLoopbackAppHooks({ now: clock.now });
    // Accepts, reads, never answers: without a timeout of its own the App client waited for ever.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      h = await startHarness(
        { GITHUB_APP_ID: hooksFor.appId, GITHUB_APP_PRIVATE_KEY: hooksFor.privateKey, GITHUB_API_URL: url },
        clock,
        { requestTimeoutMs: 200 },
      );
      const summary = await recoverDeliveries(h.ctx);
      expect(summary).toMatchObject({ status: 'failed', errors: 1 });
      expect(summary.reason).toContain('did not answer within the request timeout');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
      await hooksFor.close();
    }
  }, 15_000);
});
