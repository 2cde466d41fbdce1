import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotification } from '../../shared/notifications/index.ts';
import { type ResilientBridge, startResilientBridge } from '../resilience/support/resilient-bridge.ts';
import { REPO, startWorld, type World } from '../resilience/support/world.ts';
import { type Receiver, startReceiver } from './support.ts';

/*
 * Notifications end to end through the real server: the subscription API, a real sync opening a
 * conflict or failing, the notifications topic on the embedded bus (short retries), and loopback
 * receivers: a Slack incoming webhook and a webhook endpoint that verifies the HMAC signature.
 */
const SLACK_PATH = '/services/T000/B000/slack-secret-path-0123456789';

interface Sub {
  id: string;
  label: string;
  secret?: string;
  lastDelivery?: { ok: boolean; status?: number; error?: string };
}

function verify(body: string, header: string | undefined, key: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(body).digest('hex')}`);
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('notifications', () => {
  let world: World;
  let bridge: ResilientBridge;
  let slack: Receiver;
  let hook: Receiver;
  let linkId: string;

  beforeAll(async () => {
    world = await startWorld();
    bridge = await startResilientBridge(world, {
      retry: { maxAttempts: 3, minBackoffMs: 5, maxBackoffMs: 20 },
    });
    slack = await startReceiver();
    hook = await startReceiver();
    linkId = (await bridge.createLink({ writes: 'direct', onConflict: 'manual' })).id;
    await bridge.idle();
  });
  afterAll(async () => {
    await bridge?.close();
    await world?.close();
    await slack?.close();
    await hook?.close();
  });

  const subscribe = async (body: Record<string, unknown>) => {
    const res = await bridge.api<Sub>('POST', '/api/v1/notifications/subscriptions', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };

  it('a conflict opened reaches Slack with both values and the dashboard page, once per conflict', async () => {
    const sub = await subscribe({
      channel: 'slack',
      url: `${slack.url}${SLACK_PATH}`,
      linkId,
      triggers: ['conflict-opened'],
    });
    expect(sub.label).toBe(new URL(slack.url).host);
    expect(JSON.stringify(sub)).not.toContain(SLACK_PATH);

    world.editDesign('core', 'name', 'Core from the design');
    world.editDefinition('core', 'name', 'Core from the repo');
    await bridge.queueSync(linkId);
    await bridge.idle();
    expect(slack.received).toHaveLength(1);
    const message = JSON.parse(slack.received[0]?.body ?? '{}');
    expect(slack.received[0]?.path).toBe(SLACK_PATH);
    expect(message.text).toMatch(/^Conflict waiting for a decision: core name/);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('Core from the design');
    expect(text).toContain('Core from the repo');
    expect(text).toContain(`${bridge.ctx.config.urls.api}/#link/${linkId}`);

    // The same disagreement found again by the next sync notifies nobody again.
    await bridge.queueSync(linkId);
    await bridge.idle();
    expect(slack.received).toHaveLength(1);
    const shown = await bridge.api<Sub>('GET', `/api/v1/notifications/subscriptions/${sub.id}`);
    expect(shown.body.lastDelivery).toMatchObject({ ok: true, status: 200 });
  });

  it('a failing sync sends a signed webhook that says what failed and why; the same failure again does not', async () => {
    const sub = await subscribe({
      channel: 'webhook',
      url: `${hook.url}/bridge-events`,
      triggers: ['credentials-rejected', 'sync-failed'],
    });
    expect(sub.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await bridge.api<{ items: Sub[] }>('GET', '/api/v1/notifications/subscriptions');
    expect(JSON.stringify(listed.body)).not.toContain(sub.secret);

    const fault = world.github.injectFault({
      status: 401,
      body: { message: 'Bad credentials' },
      times: Infinity,
    });
    try {
      await bridge.queueSync(linkId);
      await bridge.idle();
      await bridge.queueSync(linkId);
      await bridge.idle();
    } finally {
      fault.cancel();
    }
    expect(hook.received).toHaveLength(1);
    const delivery = hook.received[0];
    expect(
      verify(delivery?.body ?? '', delivery?.headers['x-bridge-signature-256'] as string, sub.secret ?? ''),
    ).toBe(true);
    expect(
      verify(`${delivery?.body} `, delivery?.headers['x-bridge-signature-256'] as string, sub.secret ?? ''),
    ).toBe(false);
    const event = JSON.parse(delivery?.body ?? '{}');
    expect(delivery?.headers['x-bridge-event']).toBe('credentials-rejected');
    expect(event).toMatchObject({ trigger: 'credentials-rejected', linkId, tenant: 'default' });
    expect(event.title).toMatch(/sync failed: .*credentials/i);
    expect(event.text).toMatch(/Reconnect/);
    expect(event.url).toBe(`${bridge.ctx.config.urls.api}/#link/${linkId}`);
    await bridge.api('DELETE', `/api/v1/notifications/subscriptions/${sub.id}`);
  });

  it('a failing channel is retried, then dead-lettered, and syncs go on meanwhile', async () => {
    const sub = await subscribe({
      channel: 'webhook',
      url: `${hook.url}/down`,
      secret: 'a-key-of-the-receivers-own-choice',
    });
    expect(sub.secret).toBeUndefined();
    hook.status = 503;
    const before = hook.received.length;
    try {
      expect((await bridge.api('POST', `/api/v1/notifications/subscriptions/${sub.id}/test`)).status).toBe(
        202,
      );
      const op = await bridge.queueSync(linkId);
      await bridge.idle();
      expect((await bridge.operation(op)).status).toBe('succeeded');
    } finally {
      hook.status = 200;
    }
    expect(hook.received.length - before).toBe(3);
    const dead = await bridge.api<{ items: Array<{ topic: string }> }>('GET', '/api/v1/dead-letters');
    expect(dead.body.items.filter((d) => d.topic === 'notifications')).toHaveLength(1);
    const shown = await bridge.api<Sub>('GET', `/api/v1/notifications/subscriptions/${sub.id}`);
    expect(shown.body.lastDelivery).toMatchObject({
      ok: false,
      status: 503,
      error: expect.stringMatching(/answered 503/),
    });
    await bridge.api('DELETE', `/api/v1/notifications/subscriptions/${sub.id}`);
  });

  it('comments on the link’s GitHub issue', async () => {
    const issue = world.github.repo(REPO).issues.length + 1;
    const created = await fetch(`${world.github.url}/repos/${REPO}/issues`, {
      method: 'POST',
      headers: { authorization: `token ${world.env.GITHUB_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bridge notifications' }),
    });
    expect(created.status).toBe(201);
    const number = ((await created.json()) as { number: number }).number;
    expect(number).toBeGreaterThanOrEqual(issue);
    const sub = await subscribe({ channel: 'github-comment', linkId, issue: number });
    expect((await bridge.api('POST', `/api/v1/notifications/subscriptions/${sub.id}/test`)).status).toBe(202);
    await bridge.idle();
    const comments = world.github.repo(REPO).issues.find((i) => i.number === number)?.comments ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/test notification/);
    expect(comments[0]?.body).toContain(`/#link/${linkId}`);
  });

  it('rate-limits each channel: beyond the limit a minute, deliveries are dropped and counted', async () => {
    const sub = await subscribe({ channel: 'slack', url: `${slack.url}/services/limited` });
    const before = slack.received.length;
    const event = {
      trigger: 'sync-failed',
      tenant: 'default',
      linkId,
      repo: '',
      design: '',
      title: 'flood',
      text: 'many',
      fields: [],
      path: '/',
      oncePer: 'x',
      at: new Date().toISOString(),
    };
    for (let i = 0; i < 3; i++) {
      await deliverNotification(
        bridge.ctx,
        {
          id: `m${i}`,
          topic: 'notifications',
          data: { subscriptionId: sub.id, event },
          attributes: {},
          publishTime: event.at,
          deliveryAttempt: 1,
        },
        { perMinute: 2 },
      );
    }
    expect(slack.received.length - before).toBe(2);
    const shown = await bridge.api<{ suppressed: number }>(
      'GET',
      `/api/v1/notifications/subscriptions/${sub.id}`,
    );
    expect(shown.body.suppressed).toBe(1);
    await bridge.api('DELETE', `/api/v1/notifications/subscriptions/${sub.id}`);
  });

  it('a public name that resolves to a private address when called (DNS rebinding) is not called', async () => {
    const sub = await subscribe({ channel: 'webhook', url: 'https://hooks.rebind.example/hook' });
    const before = hook.received.length;
    const at = new Date().toISOString();
    // The name passed validation; at delivery it resolves to this machine, where `hook` listens.
    await deliverNotification(
      bridge.ctx,
      {
        id: 'rebind-1',
        topic: 'notifications',
        data: {
          subscriptionId: sub.id,
          event: { trigger: 'sync-failed', tenant: 'default', linkId, title: 't', text: 'x', path: '/', at },
        },
        attributes: {},
        publishTime: at,
        deliveryAttempt: 1,
      },
      { resolve: async () => [{ address: '127.0.0.1', family: 4 }] },
    );
    expect(hook.received.length).toBe(before);
    const shown = await bridge.api<Sub>('GET', `/api/v1/notifications/subscriptions/${sub.id}`);
    expect(shown.body.lastDelivery).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not a public address/),
    });
    expect(bridge.logs.join('\n')).not.toContain('rebind.example');
    await bridge.api('DELETE', `/api/v1/notifications/subscriptions/${sub.id}`);
  });

  it('refuses bad subscriptions with a clear 400 or 404, and keeps secrets out of every log line', async () => {
    const bad = [
      { channel: 'slack', url: 'ftp://hooks.example.com/x' },
      { channel: 'webhook', url: 'https://user:pw@example.com/hook' },
      { channel: 'webhook', url: 'https://10.1.2.3/hook' },
      { channel: 'webhook', url: 'https://[::ffff:169.254.169.254]/hook' },
      { channel: 'webhook', url: 'https://198.18.0.7/hook' },
      { channel: 'webhook', url: 'https://metadata.google.internal/computeMetadata' },
      { channel: 'webhook', url: 'https://example.com/hook', secret: 'short' },
      { channel: 'slack', url: 'https://hooks.slack.com/services/x', triggers: ['everything'] },
      { channel: 'github-comment', linkId },
      { channel: 'slack' },
      { channel: 'slack', url: 'https://hooks.slack.com/services/x', extra: true },
    ];
    for (const body of bad) {
      const res = await bridge.api<{ error: { code: string; message: string } }>(
        'POST',
        '/api/v1/notifications/subscriptions',
        body,
      );
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const missing = await bridge.api('POST', '/api/v1/notifications/subscriptions', {
      channel: 'slack',
      url: 'https://hooks.slack.com/services/x',
      linkId: 'no-such-link',
    });
    expect(missing.status).toBe(404);
    const logs = bridge.logs.join('\n');
    expect(logs).not.toContain(SLACK_PATH);
    expect(logs).not.toContain('a-key-of-the-receivers-own-choice');
  });
});
