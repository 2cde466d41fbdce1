import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { createBareRepo } from '../support/local-git.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';
import { expectError, send, tenantKey } from './support.ts';

describe('API keys through the real server', () => {
  let bridge: TestBridge;
  let acme: { id: string; key: string };
  let globex: { id: string; key: string };
  let globexLink: string;
  let globexOp: string;

  async function linkAs(token: string, name: string): Promise<string> {
    const repo = join(bridge.dir, `${name}.git`);
    const design = join(bridge.dir, `${name}.json`);
    await createBareRepo(repo, repoFiles(services()));
    await writeFile(design, JSON.stringify(designOf(services())));
    const res = await bridge.api<{ id: string }>(
      'POST',
      '/api/v1/links',
      { repo: pathToFileURL(repo).href, design: pathToFileURL(design).href, policy: { writes: 'direct' } },
      token,
    );
    expect(res.status).toBe(201);
    await bridge.idle();
    return res.body.id;
  }

  beforeAll(async () => {
    bridge = await startTestBridge();
    acme = await tenantKey(bridge, 'acme');
    globex = await tenantKey(bridge, 'globex');
    globexLink = await linkAs(globex.key, 'globex');
    await linkAs(acme.key, 'acme');
    const ops = await bridge.api<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/links/${globexLink}/operations`,
      undefined,
      globex.key,
    );
    globexOp = ops.body.items[0]?.id ?? '';
    expect(globexOp).not.toBe('');
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([
    ['no Authorization header', null],
    ['an empty bearer', ''],
    ['a wrong token', 'wrong-token'],
    ['a key-shaped token with a wrong secret', `brk_${'a'.repeat(12)}_${'b'.repeat(43)}`],
    ['the admin token with a suffix', `${ADMIN_TOKEN}x`],
    ['the admin token truncated', ADMIN_TOKEN.slice(0, -1)],
  ])('%s is 401', async (_name, token) => {
    const res = await send(bridge.url, 'GET', '/api/v1/links', { token });
    expectError(res, 401, 'unauthorized');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('a real key id with another key’s secret is 401', async () => {
    const mixed = `brk_${globex.id}_${acme.key.slice(`brk_${acme.id}_`.length)}`;
    expectError(await send(bridge.url, 'GET', '/api/v1/links', { token: mixed }), 401, 'unauthorized');
  });

  it('a revoked key is 401 at once, and the other keys keep working', async () => {
    const doomed = await tenantKey(bridge, 'acme');
    expect((await send(bridge.url, 'GET', '/api/v1/links', { token: doomed.key })).status).toBe(200);
    expect((await bridge.api('DELETE', `/api/v1/keys/${doomed.id}`)).status).toBe(204);
    const res = await send(bridge.url, 'GET', '/api/v1/links', { token: doomed.key });
    expect(expectError(res, 401, 'unauthorized')).toMatch(/revoked/);
    expect((await send(bridge.url, 'GET', '/api/v1/links', { token: acme.key })).status).toBe(200);
  });

  it('a tenant key cannot manage keys', async () => {
    const res = await send(bridge.url, 'POST', '/api/v1/keys', {
      token: acme.key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'acme', tier: 'admin' }),
    });
    expectError(res, 403, 'forbidden');
  });

  it.each([
    ['GET', () => `/api/v1/links/${globexLink}`],
    ['DELETE', () => `/api/v1/links/${globexLink}`],
    ['POST', () => `/api/v1/links/${globexLink}/sync`],
    ['GET', () => `/api/v1/links/${globexLink}/operations`],
    ['GET', () => `/api/v1/links/${globexLink}/conflicts`],
    ['GET', () => `/api/v1/links/${globexLink}/drift`],
    ['GET', () => `/api/v1/operations/${globexOp}`],
  ])('another tenant’s resource is 404: %s %s', async (method, path) => {
    const res = await send(bridge.url, method, path(), {
      token: acme.key,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
    expectError(res, 404, 'not_found');
    expect(res.text).not.toContain('globex');
  });

  it('lists show only the caller’s tenant, and the other tenant’s link survived the attempts', async () => {
    const mine = await bridge.api<{ items: Array<{ id: string; tenant?: string }> }>(
      'GET',
      '/api/v1/links',
      undefined,
      acme.key,
    );
    expect(mine.body.items.map((l) => l.id)).not.toContain(globexLink);
    expect(mine.body.items.length).toBe(1);
    expect((await bridge.api('GET', `/api/v1/links/${globexLink}`, undefined, globex.key)).status).toBe(200);
  });
});

describe('file:// links', () => {
  it('need the admin token by default (BRIDGE_LOCAL_LINKS=admin)', async () => {
    const bridge = await startTestBridge({ BRIDGE_LOCAL_LINKS: 'admin' });
    try {
      const created = await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' });
      const body = { repo: 'file:///tmp/some/repo.git', design: 'file:///tmp/some/design.json' };
      const refused = await bridge.api<{ error: { code: string } }>(
        'POST',
        '/api/v1/links',
        body,
        created.body.key,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    } finally {
      await bridge.close();
    }
  });
});
