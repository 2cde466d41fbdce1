import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runHealthJob } from '../../shared/health/index.ts';
import { currentHealth, healthHistory } from '../../shared/records/index.ts';
import { type Receiver, startReceiver } from '../notifications/support.ts';
import { FILE_ID, REPO, startWorld, type World } from '../resilience/support/world.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';

/*
 * The health job against loopback GitHub and Drive (their real wire formats): each failure the
 * issue names gives the right status, a change is recorded and logged once, and a recovery once.
 */
describe('the integration health job', () => {
  let world: World;
  let bridge: TestBridge;
  let linkId: string;
  let slack: Receiver;
  const faults: Array<{ cancel?: () => void; remove?: () => void }> = [];

  beforeAll(async () => {
    world = await startWorld();
    bridge = await startTestBridge(world.env);
    const res = await bridge.api<{ id: string }>('POST', '/api/v1/links', {
      repo: `https://github.com/${REPO}`,
      design: `https://drive.google.com/file/d/${FILE_ID}`,
    });
    expect(res.status).toBe(201);
    linkId = res.body.id;
    slack = await startReceiver();
    const sub = await bridge.api('POST', '/api/v1/notifications/subscriptions', {
      channel: 'slack',
      url: `${slack.url}/services/health`,
      triggers: ['health-degraded', 'health-recovered', 'credentials-rejected'],
    });
    expect(sub.status).toBe(201);
    await bridge.idle();
  });
  afterEach(async () => {
    for (const f of faults.splice(0)) (f.cancel ?? f.remove)?.();
    // Back to healthy between cases, so each case's change is its own.
    await runHealthJob(bridge.ctx);
    expect((await currentHealth(bridge.ctx.state, linkId))?.status).toBe('healthy');
  });
  afterAll(async () => {
    await bridge?.close();
    await world?.close();
    await slack?.close();
  });

  const changeLines = () =>
    bridge.logs.map((l) => JSON.parse(l)).filter((l) => l.message === 'integration health changed');
  const statusOf = async () => (await currentHealth(bridge.ctx.state, linkId))?.status;
  const failing = async () =>
    (await currentHealth(bridge.ctx.state, linkId))?.checks.filter((c) => c.status !== 'healthy') ?? [];

  it('finds a freshly linked integration healthy and records no change for a first healthy check', async () => {
    const before = changeLines().length;
    const result = await runHealthJob(bridge.ctx);
    expect(result).toMatchObject({ checked: 1, skipped: 0, byStatus: { healthy: 1 } });
    const health = await currentHealth(bridge.ctx.state, linkId);
    expect(health?.status).toBe('healthy');
    expect(health?.checks.map((c) => c.check).sort()).toEqual(
      [
        'access',
        'dead-letters',
        'design.auth',
        'design.channel',
        'repo.auth',
        'repo.latency',
        'repo.rate-limit',
        'repo.webhook',
      ].sort(),
    );
    expect(changeLines().length).toBe(before);
  });

  it('GitHub answering 401 makes the link unhealthy: one ERROR line and one history entry, however often it is checked; recovery once', async () => {
    const before = changeLines().length;
    const sent = slack.received.length;
    faults.push(
      world.github.injectFault({ status: 401, body: { message: 'Bad credentials' }, times: Infinity }),
    );
    await runHealthJob(bridge.ctx);
    await runHealthJob(bridge.ctx);
    expect(await statusOf()).toBe('unhealthy');
    expect((await failing()).map((c) => c.check)).toEqual(['repo.auth']);
    expect((await failing())[0]?.reason).toMatch(/refused the bridge's credentials.*reconnect/);
    const lines = changeLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ severity: 'ERROR', status: 'unhealthy', linkId, check: 'repo.auth' });
    const history = await healthHistory(bridge.ctx.state, linkId, 10);
    expect(history[0]).toMatchObject({ change: 'unhealthy', from: 'healthy', to: 'unhealthy' });
    await bridge.idle();
    const messages = slack.received.slice(sent).map((r) => JSON.parse(r.body).text as string);
    expect(messages).toEqual([
      expect.stringMatching(/^Credentials rejected: reconnect: unhealthy: repo\.auth/),
    ]);

    for (const f of faults.splice(0)) f.cancel?.();
    await runHealthJob(bridge.ctx);
    await runHealthJob(bridge.ctx);
    const after = changeLines().slice(before);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ severity: 'INFO', change: 'recovered', status: 'healthy' });
    await bridge.idle();
    const all = slack.received.slice(sent).map((r) => JSON.parse(r.body).text as string);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatch(/^Integration recovered: healthy again \(was unhealthy\)/);
    expect((await healthHistory(bridge.ctx.state, linkId, 10))[0]).toMatchObject({
      change: 'recovered',
      failing: [expect.objectContaining({ check: 'repo.auth' })],
    });
    // No token in any log line.
    expect(bridge.logs.join('\n')).not.toContain(world.env.GITHUB_TOKEN);
  });

  it('a missing repository webhook, and a failed last delivery, are degraded', async () => {
    const hooks = world.github.repo(REPO).hooks;
    expect(hooks.length).toBeGreaterThan(0);
    const saved = hooks.splice(0);
    await runHealthJob(bridge.ctx);
    expect(await statusOf()).toBe('degraded');
    expect((await failing())[0]).toMatchObject({
      check: 'repo.webhook',
      reason: expect.stringMatching(/no repository webhook/),
    });
    hooks.push(...saved);
    await runHealthJob(bridge.ctx);
    expect(await statusOf()).toBe('healthy');

    for (const h of hooks) h.lastResponse = { code: 502, status: 'failed', message: 'Bad gateway' };
    await runHealthJob(bridge.ctx);
    expect((await failing())[0]).toMatchObject({
      check: 'repo.webhook',
      reason: expect.stringMatching(/answered 502/),
    });
    for (const h of hooks) h.lastResponse = { code: 200, status: 'active', message: 'OK' };
  });

  it('an exhausted GitHub rate limit is unhealthy', async () => {
    faults.push(world.github.injectFault({ kind: 'primary-rate-limit', resetInSeconds: 3600, times: 1 }));
    await runHealthJob(bridge.ctx);
    expect(await statusOf()).toBe('unhealthy');
    expect((await failing()).map((c) => c.check)).toContain('repo.rate-limit');
  });

  it('Drive answering 401 is unhealthy; an expired channel is degraded', async () => {
    faults.push(world.drive.injectFault({ status: 401, times: Infinity }));
    await runHealthJob(bridge.ctx);
    expect(await statusOf()).toBe('unhealthy');
    expect((await failing())[0]).toMatchObject({ check: 'design.auth' });
    for (const f of faults.splice(0)) f.remove?.();

    const channels = await bridge.ctx.state.query<{ linkId: string }>('channels', {});
    expect(channels.length).toBeGreaterThan(0);
    for (const c of channels)
      await bridge.ctx.state.set('channels', c.id, { ...c.data, expiresAt: '2000-01-01T00:00:00.000Z' });
    await runHealthJob(bridge.ctx);
    expect((await failing())[0]).toMatchObject({
      check: 'design.channel',
      reason: expect.stringMatching(/expired/),
    });
    for (const c of channels) await bridge.ctx.state.set('channels', c.id, c.data);
  });

  it('dead letters of the link’s syncs make it degraded until they are gone', async () => {
    const real = bridge.ctx.deadLetters;
    const letter = (topic: string, linkId: string) => ({
      id: `dl-${topic}`,
      topic,
      message: { id: 'm', topic, data: {}, attributes: { linkId }, publishTime: '', deliveryAttempt: 5 },
      lastError: 'upstream_failed',
      attempts: 5,
      deadAt: new Date().toISOString(),
    });
    const listed = [
      letter('sync-requests', linkId),
      letter('notifications', linkId),
      letter('sync-requests', 'other'),
    ];
    bridge.ctx.deadLetters = { listDeadLetters: async () => listed, replayDeadLetter: async () => false };
    try {
      await runHealthJob(bridge.ctx);
      expect(await statusOf()).toBe('degraded');
      expect((await failing())[0]).toMatchObject({
        check: 'dead-letters',
        reason: expect.stringMatching(/^1 message of this link waits in the dead letters/),
      });
    } finally {
      bridge.ctx.deadLetters = real;
    }
  });

  it('runs as the scheduler job `health`, skipping paused links', async () => {
    // Paused is a link status (set by the store, like reconcile reads it).
    const before = await bridge.ctx.state.get<Record<string, unknown>>('links', linkId);
    await bridge.ctx.state.set('links', linkId, { ...before?.data, status: 'paused' });
    await bridge.ctx.publisher.publish(
      'scheduler-jobs',
      { job: 'health' },
      { attributes: { job: 'health' } },
    );
    await bridge.idle();
    const done = bridge.logs
      .map((l) => JSON.parse(l))
      .filter((l) => l.message === 'scheduler job done' && l.job === 'health');
    expect(done.at(-1)?.result).toMatchObject({ checked: 0 });
    const doc = await bridge.ctx.state.get<Record<string, unknown>>('links', linkId);
    await bridge.ctx.state.set('links', linkId, { ...doc?.data, status: 'synced' });
  });
});
