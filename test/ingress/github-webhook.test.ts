import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_COMMIT_TRAILER, getDelivery, WEBHOOK_BODY_LIMIT } from '../../shared/ingress/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { type Bridge, startBridge } from './support/bridge-harness.ts';
import { pushPayload, signBody, TEST_SECRET, webhookDelivery } from './support/webhook-delivery.ts';

const PATH = '/github/webhook';
const ADMIN_TOKEN = 'ingress-admin-token-0123456789';

// With the embedded bus's outbox (marker and message in one transaction) and without it (as on GCP:
// record, publish, then mark published).
describe.each([
  { path: 'outbox', outbox: true },
  { path: 'record then publish', outbox: false },
])('POST /github/webhook ($path)', ({ outbox }) => {
  let bridge: Bridge;
  beforeAll(async () => {
    bridge = await startBridge(
      { GITHUB_WEBHOOK_SECRET: `${TEST_SECRET},previous-secret`, BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN },
      { outbox },
    );
  });
  afterAll(() => bridge?.close());

  const publishedFor = (deliveryId: string) =>
    bridge.publishedOn(TOPICS.githubEvents).filter((p) => p.options?.attributes?.deliveryId === deliveryId);

  it('accepts a signed push, publishes it once with attributes and ordering key, and records it', async () => {
    const d = webhookDelivery({ event: 'push', payload: pushPayload() });
    const res = await bridge.post(PATH, d);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'accepted', deliveryId: d.deliveryId });
    const [message, ...rest] = publishedFor(d.deliveryId);
    expect(rest).toHaveLength(0);
    expect(message?.options).toEqual({
      orderingKey: 'octo-org/architecture',
      attributes: {
        event: 'push',
        deliveryId: d.deliveryId,
        repository: 'octo-org/architecture',
        installation: '77',
        // A delivery without a trace header gets a fresh one, carried to the worker's log lines.
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
    });
    expect(message?.data).toMatchObject({
      ref: 'refs/heads/main',
      repository: { full_name: 'octo-org/architecture' },
    });
    expect(await getDelivery(bridge.ctx, d.deliveryId)).toMatchObject({
      event: 'push',
      repository: 'octo-org/architecture',
      installationId: '77',
      timesReceived: 1,
      outcome: 'published',
      messageId: message?.id,
    });
  });

  it.each([
    [
      'tampered body',
      {
        body: '{"zen":"tampered"}',
        headers: { 'x-hub-signature-256': signBody(TEST_SECRET, Buffer.from('{"zen":"original"}')) },
      },
    ],
    ['unsigned', { secret: null }],
    ['wrong secret', { secret: 'not-the-secret' }],
    [
      'sha1-only signature',
      { secret: null, headers: { 'x-hub-signature': 'sha1=0123456789abcdef0123456789abcdef01234567' } },
    ],
    [
      'truncated body with the full body’s signature',
      {
        body: '{"zen":"Keep it',
        headers: {
          'x-hub-signature-256': signBody(TEST_SECRET, Buffer.from('{"zen":"Keep it logically awesome."}')),
        },
      },
    ],
  ] as const)('401 for %s, nothing published or recorded', async (_name, options) => {
    const d = webhookDelivery(options);
    const res = await bridge.post(PATH, d);
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe('unauthorized');
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
    expect(await getDelivery(bridge.ctx, d.deliveryId)).toBeUndefined();
  });

  it('accepts the previous secret during a rotation', async () => {
    const d = webhookDelivery({ secret: 'previous-secret' });
    expect((await bridge.post(PATH, d)).status).toBe(202);
    expect(publishedFor(d.deliveryId)).toHaveLength(1);
  });

  it('accepts a form-encoded delivery signed over the raw form body', async () => {
    const d = webhookDelivery({
      event: 'push',
      payload: pushPayload(),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(d.body.toString()).toMatch(/^payload=/);
    expect((await bridge.post(PATH, d)).status).toBe(202);
    expect(publishedFor(d.deliveryId)[0]?.data).toMatchObject({ ref: 'refs/heads/main' });
  });

  it.each([
    ['invalid JSON (signed)', { body: '{"zen": nope}' }, 400],
    ['truncated JSON (signed)', { body: '{"zen":"Keep it' }, 400],
    ['invalid UTF-8', { body: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]) }, 400],
    ['empty body', { body: '' }, 400],
    ['form body without payload', { body: 'other=1', contentType: 'application/x-www-form-urlencoded' }, 400],
    ['missing X-GitHub-Event', { headers: { 'x-github-event': undefined } }, 400],
    ['missing X-GitHub-Delivery', { headers: { 'x-github-delivery': undefined } }, 400],
    ['unsupported content type', { contentType: 'text/plain' }, 415],
  ] as const)('%s → %s', async (_name, options, status) => {
    const d = webhookDelivery(options);
    const res = await bridge.post(PATH, d);
    expect(res.status).toBe(status);
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
  });

  it('405 for a wrong method', async () => {
    const res = await fetch(`${bridge.url}${PATH}`, { method: 'GET' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('answers a redelivery 202 duplicate, counts it, and publishes once', async () => {
    const d = webhookDelivery({ event: 'push', payload: pushPayload() });
    expect((await bridge.post(PATH, d)).body.status).toBe('accepted');
    const again = await bridge.post(PATH, d);
    const third = await bridge.post(PATH, d);
    expect([again.status, again.body.status, third.body.status]).toEqual([202, 'duplicate', 'duplicate']);
    expect(publishedFor(d.deliveryId)).toHaveLength(1);
    const record = await getDelivery(bridge.ctx, d.deliveryId);
    expect(record).toMatchObject({ timesReceived: 3, outcome: 'published' });
    expect(record && record.lastSeen >= record.firstSeen).toBe(true);

    const api = await fetch(`${bridge.url}/api/v1/deliveries/${d.deliveryId}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({
      deliveryId: d.deliveryId,
      event: 'push',
      timesReceived: 3,
      firstSeen: record?.firstSeen,
      lastSeen: record?.lastSeen,
      outcome: 'published',
    });
  });

  it('publishes concurrent copies of one new delivery once', async () => {
    const d = webhookDelivery({
      event: 'issues',
      payload: { action: 'opened', repository: { full_name: 'o/r' } },
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => bridge.post(PATH, d)));
    // Copies that race the first one's publish are refused (409) rather than answered 2xx, so if
    // that publish failed GitHub would still see no successful attempt and redeliver.
    expect(results.every((r) => r.status === 202 || r.status === 409)).toBe(true);
    expect(results.some((r) => r.body.status === 'accepted')).toBe(true);
    expect(publishedFor(d.deliveryId)).toHaveLength(1);
    expect((await getDelivery(bridge.ctx, d.deliveryId))?.timesReceived).toBe(5);
  });

  it('keeps the same delivery id from two hooks apart', async () => {
    const a = webhookDelivery({ hookId: '1' });
    const b = webhookDelivery({ hookId: '2', deliveryId: a.deliveryId });
    expect((await bridge.post(PATH, a)).body.status).toBe('accepted');
    expect((await bridge.post(PATH, b)).body.status).toBe('accepted');
    expect(publishedFor(a.deliveryId)).toHaveLength(2);
  });

  it('drops a push of the bridge’s own commits but records it', async () => {
    const own = `Sync design\n\n${BRIDGE_COMMIT_TRAILER}: op_1`;
    const d = webhookDelivery({ event: 'push', payload: pushPayload({ messages: [own, own] }) });
    const res = await bridge.post(PATH, d);
    expect(res.status).toBe(202);
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
    expect(await getDelivery(bridge.ctx, d.deliveryId)).toMatchObject({ outcome: 'dropped-own-commit' });
    expect((await bridge.post(PATH, d)).body.status).toBe('duplicate');
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
  });

  it('publishes a push mixing own and human commits', async () => {
    const own = `Sync design\n\n${BRIDGE_COMMIT_TRAILER}: op_1`;
    const d = webhookDelivery({ event: 'push', payload: pushPayload({ messages: [own, 'Human edit'] }) });
    expect((await bridge.post(PATH, d)).status).toBe(202);
    expect(publishedFor(d.deliveryId)).toHaveLength(1);
  });

  it('answers 503 when publishing fails, and a redelivery publishes it', async () => {
    const d = webhookDelivery({ event: 'push', payload: pushPayload() });
    bridge.failNextPublishes(1);
    const failed = await bridge.post(PATH, d);
    expect(failed.status).toBe(503);
    expect(failed.body.error?.code).toBe('unavailable');
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
    expect(await getDelivery(bridge.ctx, d.deliveryId)).toMatchObject({
      outcome: 'received',
      timesReceived: 1,
    });
    // An operator finds it among the deliveries never published.
    expect((await unpublishedIds()).includes(d.deliveryId)).toBe(true);

    const redelivered = await bridge.post(PATH, d);
    expect(redelivered.status).toBe(202);
    expect(publishedFor(d.deliveryId)).toHaveLength(1);
    expect(await getDelivery(bridge.ctx, d.deliveryId)).toMatchObject({
      outcome: 'published',
      timesReceived: 2,
    });
    expect((await bridge.post(PATH, d)).body.status).toBe('duplicate');
    expect(publishedFor(d.deliveryId)).toHaveLength(1);
    expect((await unpublishedIds()).includes(d.deliveryId)).toBe(false);
  });

  const listDeliveries = async (query: string) => {
    const res = await fetch(`${bridge.url}/api/v1/deliveries${query}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const unpublishedIds = async () => {
    const { status, body } = await listDeliveries('?outcome=received&pageSize=100');
    expect(status).toBe(200);
    return (body.items as Array<{ deliveryId: string; outcome: string }>).map((i) => {
      expect(i.outcome).toBe('received');
      return i.deliveryId;
    });
  };

  it('lists deliveries newest first, page by page, and refuses an unknown outcome', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = webhookDelivery({ event: 'push', payload: pushPayload() });
      expect((await bridge.post(PATH, d)).status).toBe(202);
      ids.push(d.deliveryId);
    }
    const seen: Array<{ deliveryId: string; hook: string; lastSeen: string; claimedAt?: string }> = [];
    let token: string | undefined;
    do {
      const { status, body } = await listDeliveries(`?pageSize=2${token ? `&pageToken=${token}` : ''}`);
      expect(status).toBe(200);
      const items = body.items as typeof seen;
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items);
      token = body.nextPageToken as string | undefined;
    } while (token);
    expect(seen.every((d) => d.claimedAt === undefined)).toBe(true);
    const lastSeen = seen.map((d) => d.lastSeen);
    expect(lastSeen).toEqual([...lastSeen].sort().reverse());
    // No page repeats an item (one delivery id from two hooks is two records).
    expect(new Set(seen.map((d) => `${d.hook}/${d.deliveryId}`)).size).toBe(seen.length);
    for (const id of ids) expect(seen.map((d) => d.deliveryId)).toContain(id);

    const bad = await listDeliveries('?outcome=lost');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('outcome');
  });

  it('413 for a declared 25 MiB + 1 body, answered after 1 MiB of it has been sent', async () => {
    const d = webhookDelivery({ body: 'x' });
    const headers = { ...d.headers, 'content-length': String(WEBHOOK_BODY_LIMIT + 1) };
    // Only 1 MiB is ever sent: a server that buffered the whole body would never answer.
    const { status, sent } = await streamUntilAnswered(`${bridge.url}${PATH}`, headers, 1024 * 1024, false);
    expect(status).toBe(413);
    expect(sent).toBeLessThanOrEqual(1024 * 1024);
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
  });

  it('413 for a chunked body past 25 MiB, answered before the rest is read', async () => {
    const d = webhookDelivery({ body: 'x' });
    const total = 2 * WEBHOOK_BODY_LIMIT;
    const { status, sent } = await streamUntilAnswered(`${bridge.url}${PATH}`, d.headers, total, true);
    expect(status).toBe(413);
    expect(sent).toBeLessThan(total);
    expect(publishedFor(d.deliveryId)).toHaveLength(0);
  });
});

/**
 * Streams `total` bytes in 64 KiB chunks, honouring backpressure, stopping as soon as the response
 * arrives; then (unless `end`) leaves the request open. Returns the status and how many bytes had been
 * handed to the socket by then. Fails if no answer comes within 10 s.
 */
function streamUntilAnswered(url: string, headers: Record<string, string>, total: number, end: boolean) {
  return new Promise<{ status: number; sent: number }>((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    const req = request(url, { method: 'POST', headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer after sending ${sent} bytes`));
    }, 10_000);
    req.on('response', (res) => {
      answered = true;
      clearTimeout(timer);
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (err) => {
      if (!answered) {
        clearTimeout(timer);
        reject(err);
      }
    });
    const pump = () => {
      while (!answered && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && end) req.end();
    };
    pump();
  });
}
