import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerTimeouts } from '../../shared/edge/index.ts';
import type { GithubWebhookOptions } from '../../shared/ingress/index.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { rawClient, requestsArrived, type SlowUpload, slowUpload, within } from './slow-client.ts';
import { deliveryId, webhook } from './support.ts';

const SECRET = 'slow-uploads-webhook-secret';
const KiB = 1024;
const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 7 });
const WAIT = 5_000;

/** Headers of a webhook POST: GitHub's, with a signature of the right shape (`fake`) or none. */
function headers(signature: 'fake' | 'none', length?: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'ping',
    'x-github-delivery': deliveryId(),
    ...(signature === 'fake' ? { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } : {}),
    ...(length === undefined ? {} : { 'content-length': String(length) }),
  };
}

function bridgeWith(webhookOptions: GithubWebhookOptions, timeouts: Partial<ServerTimeouts> = {}) {
  const state: { bridge?: TestBridge; uploads: SlowUpload[] } = { uploads: [] };
  beforeAll(async () => {
    state.bridge = await startTestBridge(
      { GITHUB_WEBHOOK_SECRET: SECRET },
      { webhook: webhookOptions, timeouts },
    );
  });
  afterEach(() => {
    for (const upload of state.uploads.splice(0)) upload.destroy();
  });
  afterAll(async () => {
    await state.bridge?.close();
  });
  return {
    get bridge() {
      return state.bridge as TestBridge;
    },
    get hook() {
      return `${(state.bridge as TestBridge).url}/github/webhook`;
    },
    /** Starts `count` slow uploads and resolves once the server has read all their headers. */
    async open(count: number, make: () => SlowUpload): Promise<SlowUpload[]> {
      const arrived = requestsArrived((state.bridge as TestBridge).server.server, count);
      const uploads = Array.from({ length: count }, make);
      state.uploads.push(...uploads);
      await within(arrived, WAIT, 'the slow uploads to reach the server');
      return uploads;
    },
  };
}

describe('slow uploads without a signature do not hold the webhook intake', () => {
  const t = bridgeWith({ maxInFlight: 4, evictAfterMs: 60_000, bodyDeadlineMs: 60_000 });

  it('more unsigned slow uploads than there are slots: each is refused at once, a genuine delivery is accepted', async () => {
    const uploads = await t.open(6, () => slowUpload(t.hook, headers('none', 100 * KiB)));
    const genuine = await webhook(t.bridge, body, { secret: SECRET, event: 'ping' });
    expect(genuine.status).toBe(202);
    for (const upload of uploads) {
      expect((await within(upload.answered, WAIT, 'the unsigned upload’s answer')).status).toBe(401);
    }
    // Answered before its body arrived: the connection is closed (well before the 30 s request
    // timeout), not kept open while the rest trickles in.
    await within(uploads[0]!.closed, WAIT, 'the server to close the unsigned upload');
  });

  it('a Drive notification with a trickling body is answered and its connection closed', async () => {
    const [upload] = await t.open(1, () =>
      slowUpload(`${t.bridge.url}/drive/notifications`, { 'content-length': String(100 * KiB) }),
    );
    expect((await within(upload!.answered, WAIT, 'the notification’s answer')).status).toBe(400);
    await within(upload!.closed, WAIT, 'the server to close the connection');
  });
});

describe('slow uploads with a signature of the right shape hold a slot only for a bounded time', () => {
  const t = bridgeWith({ maxInFlight: 2, evictAfterMs: 60_000, bodyDeadlineMs: 400 });

  it('a body that does not arrive within the deadline is answered 408 and frees its slot', async () => {
    // Both slots are taken by bodies that may still be genuine (and cutting them is off here).
    const uploads = await t.open(2, () => slowUpload(t.hook, headers('fake', 100 * KiB)));
    for (const upload of uploads) {
      expect((await within(upload.answered, WAIT, 'the body deadline')).status).toBe(408);
    }
    // Had they kept their slots, this would be 503.
    expect((await webhook(t.bridge, body, { secret: SECRET, event: 'ping' })).status).toBe(202);
  });
});

describe('when the intake is full, the oldest slow body is cut for a new delivery', () => {
  const t = bridgeWith({ maxInFlight: 2, evictAfterMs: 0, bodyDeadlineMs: 60_000 });

  it('a genuine delivery gets the slot of the oldest slow upload, which is answered 503 with Retry-After', async () => {
    const [oldest, younger] = await t.open(2, () => slowUpload(t.hook, headers('fake', 100 * KiB)));
    expect((await webhook(t.bridge, body, { secret: SECRET, event: 'ping' })).status).toBe(202);
    const cut = await within(oldest!.answered, WAIT, 'the oldest upload to be cut');
    expect(cut.status).toBe(503);
    expect(cut.headers['retry-after']).toBe('1');
    younger!.destroy();
  });
});

describe('the memory held by unverified bodies is bounded in total', () => {
  const t = bridgeWith({
    maxInFlight: 100,
    maxUnverifiedBytes: 1024 * KiB,
    evictAfterMs: 60_000,
    bodyDeadlineMs: 60_000,
  });

  it('refuses what would exceed the budget (503, or 413 alone too big) and still takes a small genuine delivery', async () => {
    const [holder] = await t.open(1, () => slowUpload(t.hook, headers('fake', 800 * KiB), { first: KiB }));
    const declared = slowUpload(t.hook, headers('fake', 800 * KiB), { first: KiB });
    const chunked = slowUpload(t.hook, headers('fake'), { stream: true });
    const alone = slowUpload(t.hook, headers('fake', 2048 * KiB), { first: KiB });
    const refused = await within(declared.answered, WAIT, 'the declared upload over budget');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    // 503 is the shared budget's answer (25 MiB in one body would be the per-request 413).
    expect((await within(chunked.answered, WAIT, 'the chunked upload over budget')).status).toBe(503);
    expect((await within(alone.answered, WAIT, 'the upload larger than the budget')).status).toBe(413);
    for (const u of [declared, chunked, alone]) u.destroy();

    expect((await webhook(t.bridge, body, { secret: SECRET, event: 'ping' })).status).toBe(202);
    // A genuine delivery larger than what is left is refused while the holder holds its bytes...
    const large = JSON.stringify({ zen: 'x'.repeat(400 * KiB), hook_id: 7 });
    expect((await webhook(t.bridge, large, { secret: SECRET, event: 'ping' })).status).toBe(503);
    // ...and accepted once the holder has gone (its bytes are released with its request).
    holder!.destroy();
    await expect
      .poll(async () => (await webhook(t.bridge, large, { secret: SECRET, event: 'ping' })).status, {
        timeout: WAIT,
      })
      .toBe(202);
  });
});

describe('header and request time are bounded on the local server', () => {
  const t = bridgeWith({}, { headersMs: 300, requestMs: 800, checkEveryMs: 50 });

  it('a client that never finishes its headers is disconnected', async () => {
    const client = rawClient(t.bridge.server.port, 'POST /github/webhook HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const received = await within(client.closed, WAIT, 'the server to drop the stalled headers');
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('an API request whose body never finishes is disconnected', async () => {
    const [upload] = await t.open(1, () =>
      slowUpload(`${t.bridge.url}/api/v1/links`, {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'content-length': String(10 * KiB),
      }),
    );
    await within(upload!.closed, WAIT, 'the server to drop the stalled body');
  });
});
