import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictRecord } from '../../shared/records/index.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, linkFor, openConflictOn, raw, type TenantLink, tenantKey } from './support.ts';

/**
 * The secret part of `brk_<id>_<secret>`. The secret is base64url, which may itself hold `_`: taking
 * the text after the last `_` could leave one letter, which every error message contains.
 */
function secretOf(key: string): string {
  const secret = /^brk_[a-z0-9]{12}_(.{40,})$/.exec(key)?.[1];
  if (!secret) throw new Error('not an API key of the form brk_<id>_<secret>');
  return secret;
}

describe('status API authentication and tenant isolation', () => {
  let bridge: TestBridge;
  let acme: { id: string; key: string };
  let globex: { id: string; key: string };
  let acmeLink: TenantLink;
  let globexLink: TenantLink;
  let globexConflict: ConflictRecord;
  let globexOperationId: string;

  beforeAll(async () => {
    bridge = await startTestBridge();
    acme = await tenantKey(bridge, 'acme');
    globex = await tenantKey(bridge, 'globex');
    acmeLink = await linkFor(bridge, acme.key);
    globexLink = await linkFor(bridge, globex.key, { writes: 'direct', onConflict: 'manual' });
    globexConflict = await openConflictOn(bridge, globexLink);
    const ops = await bridge.api<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/links/${globexLink.id}/operations`,
      undefined,
      globex.key,
    );
    globexOperationId = ops.body.items[0]?.id ?? '';
    expect(globexOperationId).toMatch(/^op_/);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  describe('bearer tokens', () => {
    it.each([
      ['no Authorization header', null, 'Missing bearer token'],
      ['an unknown token', 'not-a-real-token', 'Invalid or revoked token'],
      ['a key-shaped token with a wrong secret', `brk_${'a'.repeat(12)}_${'b'.repeat(43)}`, 'Invalid'],
    ])('%s is 401 with WWW-Authenticate', async (_name, token, message) => {
      const res = await raw(bridge, 'GET', '/api/v1/links', { token });
      expect(expectError(res, 401, 'unauthorized')).toContain(message);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('a Basic scheme is not a bearer token', async () => {
      const res = await raw(bridge, 'GET', '/api/v1/links', {
        token: null,
        headers: { authorization: `Basic ${Buffer.from(`x:${ADMIN_TOKEN}`).toString('base64')}` },
      });
      expectError(res, 401, 'unauthorized');
    });

    it('a key with the right id but a wrong secret is refused', async () => {
      const [, id] = /^brk_([a-z0-9]{12})_/.exec(acme.key) ?? [];
      const forged = `brk_${id}_${'x'.repeat(43)}`;
      expectError(await raw(bridge, 'GET', '/api/v1/links', { token: forged }), 401, 'unauthorized');
    });

    it('a revoked key is 401 from then on; other keys keep working', async () => {
      const temp = await tenantKey(bridge, 'acme');
      expect((await raw(bridge, 'GET', '/api/v1/links', { token: temp.key })).status).toBe(200);
      expect((await bridge.api('DELETE', `/api/v1/keys/${temp.id}`)).status).toBe(204);
      const res = await raw(bridge, 'GET', '/api/v1/links', { token: temp.key });
      expect(expectError(res, 401, 'unauthorized')).toContain('revoked');
      expect((await raw(bridge, 'GET', '/api/v1/links', { token: acme.key })).status).toBe(200);
      const listed = await bridge.api<{ items: Array<{ id: string; revokedAt?: string }> }>(
        'GET',
        '/api/v1/keys?tenant=acme',
      );
      expect(listed.body.items.find((k) => k.id === temp.id)?.revokedAt).toBeDefined();
    });

    it('keys are stored only as hashes and never listed with their secret', async () => {
      const listed = await bridge.api<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/keys');
      expect(listed.status).toBe(200);
      expect(listed.body.items.length).toBeGreaterThanOrEqual(2);
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain(acme.key);
      expect(text).not.toContain(secretOf(acme.key));
      for (const item of listed.body.items) expect(Object.keys(item)).not.toContain('hash');
      const stored = await bridge.ctx.state.get<Record<string, unknown>>('api-keys', acme.id);
      expect(JSON.stringify(stored?.data)).not.toContain(secretOf(acme.key));
    });

    it('the tenant list filter shows one tenant', async () => {
      const listed = await bridge.api<{ items: Array<{ tenant: string }> }>(
        'GET',
        '/api/v1/keys?tenant=globex',
      );
      expect(listed.body.items.map((k) => k.tenant)).toEqual(['globex']);
    });
  });

  describe('admin-only routes are 403 for a tenant key', () => {
    it.each([
      ['GET', '/api/v1/keys', undefined],
      ['POST', '/api/v1/keys', JSON.stringify({ tenant: 'acme' })],
      ['DELETE', '/api/v1/keys/whatever', undefined],
      ['GET', '/api/v1/deliveries/some-delivery', undefined],
      ['GET', '/api/v1/deliveries', undefined],
      ['GET', '/api/v1/dead-letters', undefined],
      ['POST', '/api/v1/dead-letters/some-id/replay', undefined],
    ])('%s %s', async (method, path, body) => {
      const res = await raw(bridge, method, path, {
        token: acme.key,
        ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
      });
      expectError(res, 403, 'forbidden');
    });

    it('a tenant key cannot mint keys (for itself or others)', async () => {
      const res = await bridge.api('POST', '/api/v1/keys', { tenant: 'acme', tier: 'admin' }, acme.key);
      expect(res.status).toBe(403);
    });
  });

  describe('a key sees only its tenant’s links', () => {
    it('lists only its own links', async () => {
      const a = await bridge.api<{ items: Array<{ id: string }> }>(
        'GET',
        '/api/v1/links',
        undefined,
        acme.key,
      );
      expect(a.body.items.map((l) => l.id)).toEqual([acmeLink.id]);
      const g = await bridge.api<{ items: Array<{ id: string }> }>(
        'GET',
        '/api/v1/links',
        undefined,
        globex.key,
      );
      expect(g.body.items.map((l) => l.id)).toEqual([globexLink.id]);
      const admin = await bridge.api<{ items: Array<{ id: string }> }>('GET', '/api/v1/links');
      expect(admin.body.items).toEqual([]);
    });

    const foreignRoutes = (): Array<[string, string, unknown]> => [
      ['GET', `/api/v1/links/${globexLink.id}`, undefined],
      ['DELETE', `/api/v1/links/${globexLink.id}`, undefined],
      ['POST', `/api/v1/links/${globexLink.id}/sync`, {}],
      ['GET', `/api/v1/links/${globexLink.id}/operations`, undefined],
      ['GET', `/api/v1/operations/${globexOperationId}`, undefined],
      ['GET', `/api/v1/links/${globexLink.id}/conflicts`, undefined],
      ['GET', `/api/v1/links/${globexLink.id}/conflicts?state=open`, undefined],
      ['POST', `/api/v1/links/${globexLink.id}/conflicts/${globexConflict.id}/resolve`, { take: 'design' }],
      ['POST', `/api/v1/links/${acmeLink.id}/conflicts/${globexConflict.id}/resolve`, { take: 'design' }],
      ['GET', `/api/v1/links/${globexLink.id}/drift`, undefined],
      ['GET', `/api/v1/sync/status?link=${globexLink.id}`, undefined],
      ['GET', `/api/v1/sync/history?link=${globexLink.id}`, undefined],
      ['GET', `/api/v1/services/github?link=${globexLink.id}`, undefined],
      ['GET', `/api/v1/services/github/core?link=${globexLink.id}`, undefined],
      ['GET', `/api/v1/visualizations/aistudio?link=${globexLink.id}`, undefined],
      ['GET', `/api/v1/visualizations/aistudio/export?link=${globexLink.id}`, undefined],
      ['POST', `/api/v1/services/github/sync?link=${globexLink.id}`, {}],
      ['POST', `/api/v1/visualizations/aistudio/update?link=${globexLink.id}`, {}],
      ['POST', `/api/v1/sync/bidirectional?link=${globexLink.id}`, {}],
      ['POST', `/api/v1/sync/resolve-conflicts?link=${globexLink.id}`, { take: 'design' }],
    ];

    it('another tenant’s link is 404 on every per-link route, and nothing changes', async () => {
      const before = await bridge.api<{ items: unknown[] }>(
        'GET',
        `/api/v1/links/${globexLink.id}/operations?pageSize=100`,
        undefined,
        globex.key,
      );
      for (const [method, path, body] of foreignRoutes()) {
        const res = await bridge.api<{ error?: { message: string } }>(method, path, body, acme.key);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error?.message).not.toContain('globex');
      }
      // The same requests with the owner's key succeed, so the 404s were about the tenant.
      expect((await bridge.api('GET', `/api/v1/links/${globexLink.id}`, undefined, globex.key)).status).toBe(
        200,
      );
      const after = await bridge.api<{ items: unknown[] }>(
        'GET',
        `/api/v1/links/${globexLink.id}/operations?pageSize=100`,
        undefined,
        globex.key,
      );
      expect(after.body.items).toHaveLength(before.body.items.length);
      const conflict = await bridge.api<{ items: ConflictRecord[] }>(
        'GET',
        `/api/v1/links/${globexLink.id}/conflicts?state=open`,
        undefined,
        globex.key,
      );
      expect(conflict.body.items.map((c) => c.id)).toEqual([globexConflict.id]);
    });

    it('the alias routes act on the caller’s only link, never another tenant’s', async () => {
      const status = await bridge.api<{ linkId: string }>('GET', '/api/v1/sync/status', undefined, acme.key);
      expect(status.body.linkId).toBe(acmeLink.id);
      const none = await bridge.api('GET', '/api/v1/sync/status', undefined, ADMIN_TOKEN);
      expect(none.status).toBe(404);
    });
  });

  it('no response or log line carries a token', async () => {
    const responses = [
      await raw(bridge, 'GET', '/api/v1/links', { token: `${acme.key}x` }),
      await raw(bridge, 'GET', '/api/v1/nope', { token: acme.key }),
      await raw(bridge, 'POST', '/api/v1/keys', { token: acme.key }),
      await raw(bridge, 'GET', `/api/v1/links/${globexLink.id}`, { token: acme.key }),
      await raw(bridge, 'POST', '/api/v1/links', {
        token: acme.key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ repo: `https://x:${ADMIN_TOKEN}@github.com/o/r`, design: acme.key }),
      }),
    ];
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      for (const secret of [ADMIN_TOKEN, acme.key, secretOf(acme.key)]) {
        expect(res.text).not.toContain(secret);
      }
    }
    const logs = bridge.logs.join('\n');
    for (const secret of [ADMIN_TOKEN, secretOf(acme.key), secretOf(globex.key)]) {
      expect(logs).not.toContain(secret);
    }
  });
});
