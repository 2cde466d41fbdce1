import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthThrottle } from '../../shared/api/auth-throttle.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';

/** One request from a chosen loopback address (Linux routes all of 127/8 to the loopback). */
function from(
  localAddress: string,
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method, headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? JSON.parse(text) : undefined,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const FAILURES = 5;

describe('failed authentication is throttled per client address', () => {
  let bridge: TestBridge;
  const clock = { now: 1_700_000_000_000 };
  beforeAll(async () => {
    const authThrottle = new AuthThrottle({ failures: FAILURES, perMs: 60_000 }, () => clock.now);
    bridge = await startTestBridge({}, { authThrottle });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('after a bounded number of wrong tokens a client gets 429 with Retry-After, even with the right token', async () => {
    const client = '127.0.0.2';
    for (let i = 0; i < FAILURES; i += 1) {
      const res = await from(client, bridge.url, 'GET', '/api/v1/links', bearer(`wrong-token-${i}`));
      expect(res.status).toBe(401);
    }
    const throttled = await from(client, bridge.url, 'GET', '/api/v1/links', bearer('wrong-token-x'));
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    // Telling a right token from a wrong one would keep the guessing going: the answer stays 429.
    expect((await from(client, bridge.url, 'GET', '/api/v1/links', bearer(ADMIN_TOKEN))).status).toBe(429);
    // Another address is not affected.
    expect((await from('127.0.0.3', bridge.url, 'GET', '/api/v1/links', bearer(ADMIN_TOKEN))).status).toBe(
      200,
    );
    // Once the window has passed, the client may try again.
    clock.now += 60_000;
    expect((await from(client, bridge.url, 'GET', '/api/v1/links', bearer(ADMIN_TOKEN))).status).toBe(200);
  });

  it('a client-supplied X-Forwarded-For does not make a local client someone else', async () => {
    const client = '127.0.0.4';
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES + 2; i += 1) {
      const headers = { ...bearer(`wrong-${i}`), 'x-forwarded-for': `198.51.100.${i}` };
      statuses.push((await from(client, bridge.url, 'GET', '/api/v1/links', headers)).status);
    }
    expect(statuses).toEqual([...Array(FAILURES).fill(401), 429, 429]);
  });

  it('the integrations routes count failures against the same client', async () => {
    const client = '127.0.0.5';
    for (let i = 0; i < FAILURES; i += 1) {
      const res = await from(client, bridge.url, 'GET', '/api/integrations/github', bearer(`nope-${i}`));
      expect(res.status).toBe(401);
    }
    expect((await from(client, bridge.url, 'GET', '/api/v1/links', bearer('nope'))).status).toBe(429);
  });
});

describe('nothing anonymous learns more than 401', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([
    ['a known path with a wrong method', 'PUT', '/api/v1/links'],
    ['a known parameterised path with a wrong method', 'PATCH', '/api/v1/links/lnk_x'],
    ['POST to the health route', 'POST', '/api/v1/health'],
    ['an unknown /api/v1 path', 'GET', '/api/v1/nothing-here'],
    ['an unknown /api path', 'GET', '/api/v2/links'],
    ['an integration route with a wrong method', 'POST', '/api/integrations/github'],
    ['an unknown integration path', 'GET', '/api/integrations/gitlab'],
    ['the OAuth callback with a wrong method', 'POST', '/api/integrations/github/callback'],
  ])('%s (%s %s) is 401 without an Allow header', async (_name, method, path) => {
    const res = await from('127.0.0.1', bridge.url, method, path);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
    expect(res.headers.allow).toBeUndefined();
  });

  it('with the default limits, a run of wrong tokens from one client meets a 429 within 100 attempts', async () => {
    let first429 = -1;
    for (let i = 0; i < 100 && first429 < 0; i += 1) {
      const res = await from('127.0.0.9', bridge.url, 'GET', '/api/v1/links', bearer(`guess-${i}`));
      if (res.status === 429) first429 = i;
      else expect(res.status).toBe(401);
    }
    expect(first429).toBeGreaterThan(0);
  });

  it('an authenticated caller still gets 405 with Allow and 404 for unknown paths', async () => {
    const wrongMethod = await from('127.0.0.1', bridge.url, 'PUT', '/api/v1/links', bearer(ADMIN_TOKEN));
    expect(wrongMethod.status).toBe(405);
    expect(String(wrongMethod.headers.allow).split(', ').sort()).toEqual(['GET', 'POST']);
    expect((await from('127.0.0.1', bridge.url, 'GET', '/api/v1/nope', bearer(ADMIN_TOKEN))).status).toBe(
      404,
    );
  });
});
