import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { deliveryId, expectError, send, signature, webhook } from './support.ts';

const SECRET = 'webhook-secret-security-suite';
const body = JSON.stringify({
  ref: 'refs/heads/main',
  after: 'a'.repeat(40),
  repository: { full_name: 'acme/unlinked', name: 'unlinked', owner: { login: 'acme' } },
  commits: [],
});

describe('webhook signatures through the real server', () => {
  let bridge: TestBridge;
  let publish: MockInstance;
  // The embedded bus publishes a first receipt through publishIfCreated (marker and message together).
  let publishIfCreated: MockInstance | undefined;
  /** Messages published so far, by either method. */
  const published = async () =>
    publish.mock.calls.length +
    (await Promise.all((publishIfCreated?.mock.results ?? []).map((r) => r.value))).filter(
      (id) => id !== undefined,
    ).length;

  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: SECRET });
    publish = vi.spyOn(bridge.ctx.publisher, 'publish');
    if (bridge.ctx.publisher.publishIfCreated) {
      const publisher = bridge.ctx.publisher as Required<typeof bridge.ctx.publisher>;
      publishIfCreated = vi.spyOn(publisher, 'publishIfCreated');
    }
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const good = signature(SECRET, body);
  it.each([
    ['a wrong secret', { 'x-hub-signature-256': signature('not-the-secret', body) }],
    ['a truncated signature', { 'x-hub-signature-256': good.slice(0, -2) }],
    [
      'a signature with one digit changed',
      { 'x-hub-signature-256': `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}` },
    ],
    ['the sha1 algorithm in X-Hub-Signature-256', { 'x-hub-signature-256': signature(SECRET, body, 'sha1') }],
    ['sha512 over the right body', { 'x-hub-signature-256': signature(SECRET, body, 'sha512') }],
    [
      'only a valid legacy sha1 X-Hub-Signature',
      { 'x-hub-signature-256': '', 'x-hub-signature': signature(SECRET, body, 'sha1') },
    ],
    ['the digest without its sha256= prefix', { 'x-hub-signature-256': good.slice('sha256='.length) }],
    ['upper-case hex', { 'x-hub-signature-256': `sha256=${good.slice(7).toUpperCase()}` }],
    ['a signature over another body', { 'x-hub-signature-256': signature(SECRET, `${body} `) }],
  ])('%s is 401 and nothing is recorded or published', async (_name, headers) => {
    const id = deliveryId();
    const calls = await published();
    const res = await webhook(bridge, body, { secret: SECRET, id, headers });
    expect(expectError(res, 401, 'unauthorized')).toBe('Missing or invalid X-Hub-Signature-256');
    expect(await published()).toBe(calls);
    expect((await bridge.api('GET', `/api/v1/deliveries/${id}`)).status).toBe(404);
  });

  it('a replayed delivery id is counted as a duplicate and not published again', async () => {
    const id = deliveryId();
    const calls = await published();
    const first = await webhook(bridge, body, { secret: SECRET, id });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ status: 'accepted', deliveryId: id });
    await bridge.idle();
    for (let i = 0; i < 2; i += 1) {
      const replay = await webhook(bridge, body, { secret: SECRET, id });
      expect(replay.status).toBe(202);
      expect(replay.body).toEqual({ status: 'duplicate', deliveryId: id });
    }
    expect(await published()).toBe(calls + 1);
    const record = await bridge.api<{ timesReceived: number }>('GET', `/api/v1/deliveries/${id}`);
    expect(record.body.timesReceived).toBe(3);
  });

  it('a replay with a forged body under a known delivery id is still refused by its signature', async () => {
    const id = deliveryId();
    expect((await webhook(bridge, body, { secret: SECRET, id })).status).toBe(202);
    const forged = body.replace('unlinked', 'victim');
    const res = await webhook(bridge, forged, {
      secret: SECRET,
      id,
      headers: { 'x-hub-signature-256': good },
    });
    expectError(res, 401, 'unauthorized');
  });

  it('the signature value never reaches a log line, even when rejected', async () => {
    const wrong = signature('another-secret', body);
    await webhook(bridge, body, { secret: SECRET, headers: { 'x-hub-signature-256': wrong } });
    const text = bridge.logs.join('\n');
    expect(text).toContain('webhook signature rejected');
    expect(text).not.toContain(wrong.slice(7));
    expect(text).not.toContain(good.slice(7));
    expect(text).not.toContain(SECRET);
  });

  it('an unsigned delivery is refused even with every other header right', async () => {
    const res = await send(bridge.url, 'POST', '/github/webhook', {
      token: null,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': deliveryId(),
      },
      body,
    });
    expectError(res, 401, 'unauthorized');
  });
});
