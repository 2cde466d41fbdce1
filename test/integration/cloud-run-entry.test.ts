import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'entry-point-webhook-secret';
let dir: string;
const servers: Server[] = [];

/** A function registered by its Cloud Run entry point, served by the Functions Framework's test server. */
async function serve(name: string): Promise<string> {
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const server = getTestServer(name);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Cloud Run entry points (functions/<name>/index.ts through the Functions Framework)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bridge-entry-'));
    // The entry points read their configuration from the process environment, as on Cloud Run.
    Object.assign(process.env, {
      BRIDGE_DATA_DIR: dir,
      BRIDGE_DEMO: 'false',
      GITHUB_WEBHOOK_SECRET: SECRET,
      BRIDGE_ADMIN_TOKEN: 'entry-admin-token-123456',
      LOG_LEVEL: 'error',
    });
    for (const name of ['github-webhook', 'drive-notifications', 'sync-worker', 'status-api', 'scheduler']) {
      await import(`../../functions/${name}/index.ts`);
    }
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((resolve) => s.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('github-webhook verifies the raw body the framework buffered and accepts a signed delivery', async () => {
    const url = await serve('github-webhook');
    const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1 });
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': 'entry-delivery-1',
    };
    const signed = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(signed.status).toBe(202);
    const forged = await fetch(url, {
      method: 'POST',
      headers: {
        ...headers,
        'x-github-delivery': 'entry-delivery-2',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body,
    });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('sync-worker acknowledges a Pub/Sub push only after handling it, and rejects a malformed envelope', async () => {
    const url = await serve('sync-worker');
    const data = Buffer.from(
      JSON.stringify({ linkId: 'lnk_unknown', operationId: 'op_x', trigger: 'api' }),
    ).toString('base64');
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: { data, attributes: {}, messageId: '1', publishTime: new Date().toISOString() },
        subscription: 'projects/p/subscriptions/sync-requests-push',
      }),
    });
    expect(ok.status).toBeLessThan(300);
    const malformed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"nope":1}',
    });
    expect(malformed.status).toBe(400);
  });

  it('sync-worker does not acknowledge a push from a subscription the topology does not route to it', async () => {
    const url = await serve('sync-worker');
    const push = (subscription: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          message: {
            data: Buffer.from(JSON.stringify({ linkId: 'lnk_unknown' })).toString('base64'),
            attributes: {},
            messageId: 'renamed-1',
            publishTime: new Date().toISOString(),
          },
          subscription: `projects/p/subscriptions/${subscription}`,
        }),
      });
    // A renamed subscription, and the scheduler's subscription pointed at the worker: redelivered, not dropped.
    for (const name of ['sync-requests-push-v2', 'scheduler-jobs-push']) {
      const answer = await push(name);
      expect(answer.status, name).toBe(500);
      expect(await answer.json()).toMatchObject({ error: { code: 'config_invalid' } });
    }
  });

  it('status-api serves health and refuses an unauthenticated API call', async () => {
    const url = await serve('status-api');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const denied = await fetch(`${url}/api/v1/links`);
    expect(denied.status).toBe(401);
    const listed = await fetch(`${url}/api/v1/links`, {
      headers: { authorization: 'Bearer entry-admin-token-123456' },
    });
    expect(listed.status).toBe(200);
  });
});
