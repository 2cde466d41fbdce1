import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Link } from '../../shared/records/index.ts';
import { type AccessHarness, BRIDGE_TOKEN, startAccessHarness, VICTIM } from './access-harness.ts';

/**
 * Hostile input: a tenant aims the bridge at someone else's repository. The bridge's own GitHub
 * token reaches every repository of this GitHub (the victim's too), so only the bridge's rules stand
 * between a tenant and that repository: its own connected account (which must reach the repository)
 * or an explicit grant by the admin.
 */
describe('a tenant links only repositories it may reach', () => {
  let h: AccessHarness;
  beforeAll(async () => {
    h = await startAccessHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('without a connected account or a grant: 403 saying how to get access, and the repository is never read', async () => {
    const key = await h.key('mallory');
    const from = h.github.requests.length;
    const res = await h.link(key, VICTIM);
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    const message = (res.body as unknown as { error: { code: string; message: string } }).error;
    expect(message.code).toBe('forbidden');
    expect(message.message).toContain('/api/integrations/github/connect');
    expect(message.message).toMatch(/grant/);
    expect(message.message).toContain('victim-org');
    expect(message.message).not.toContain(BRIDGE_TOKEN);
    expect(h.requestsTo(VICTIM, from)).toEqual([]);
    const links = await h.bridge.api<{ items: Link[] }>('GET', '/api/v1/links', undefined, key);
    expect(links.body.items).toEqual([]);
  });

  it('a connected account that cannot see the repository: 403, and only that account asked GitHub', async () => {
    const key = await h.key('eve');
    await h.connect('eve', { 'acme/platform': 'push' });
    const from = h.github.requests.length;
    const res = await h.link(key, VICTIM);
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(JSON.stringify(res.body)).toMatch(
      /GitHub account connected for tenant eve cannot reach victim-org/,
    );
    expect(h.requestsTo(VICTIM, from).map((r) => r.auth)).toEqual(['user']);
  });

  it('a connected account that reaches the repository links and syncs it as that account', async () => {
    const key = await h.key('acme');
    await h.connect('acme', { 'acme/platform': 'push' });
    const from = h.github.requests.length;
    const res = await h.link(key, 'acme/platform');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const op = await h.sync(key, res.body.id);
    expect(op).toMatchObject({ status: 'succeeded' });
    const auths = new Set(h.requestsTo('acme/platform', from).map((r) => r.auth));
    expect([...auths]).toEqual(['user']);
  });

  it('read-only access is enough for a report-only link, not for one that writes', async () => {
    const key = await h.key('reader');
    await h.connect('reader', { 'acme/readonly': 'pull' });
    const writes = await h.link(key, 'acme/readonly');
    expect(writes.status, JSON.stringify(writes.body)).toBe(403);
    expect(JSON.stringify(writes.body)).toMatch(/push/);
    expect(JSON.stringify(writes.body)).toMatch(/report-only/);
    const reports = await h.link(key, 'acme/readonly', { mode: 'report-only' });
    expect(reports.status, JSON.stringify(reports.body)).toBe(201);
  });

  it('an admin grant of the owner lets the bridge’s own token serve it; revoking it fails the next sync as forbidden', async () => {
    const key = await h.key('partner');
    expect((await h.grant('partner', 'owners', 'victim-org')).status).toBe(201);
    const res = await h.link(key, VICTIM);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await h.sync(key, res.body.id)).toMatchObject({ status: 'succeeded' });

    expect((await h.revoke('partner', 'owners', 'victim-org')).status).toBe(200);
    const from = h.github.requests.length;
    const op = await h.sync(key, res.body.id);
    expect(op).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(op.error?.message).toMatch(/grant/);
    // Not silently served by the bridge's own token: GitHub never heard of this sync.
    expect(h.requestsTo(VICTIM, from)).toEqual([]);
    const link = await h.bridge.api<Link>('GET', `/api/v1/links/${res.body.id}`, undefined, key);
    expect(link.body).toMatchObject({ status: 'error', access: { state: 'forbidden' } });
    expect(link.body.access?.reason).toMatch(/grant/);
  });

  it('disconnecting the account does not fall back to the bridge’s own token', async () => {
    const key = await h.key('leaver');
    await h.connect('leaver', { 'globex/platform': 'push' });
    const res = await h.link(key, 'globex/platform');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await h.bridge.api('DELETE', '/api/integrations/github', undefined, key)).status).toBe(200);
    const from = h.github.requests.length;
    const op = await h.sync(key, res.body.id);
    expect(op).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(op.error?.message).toContain('/api/integrations/github/connect');
    expect(h.requestsTo('globex/platform', from)).toEqual([]);
  });

  it('an account whose token GitHub rejects (revoked at GitHub) is marked reconnect needed', async () => {
    const key = await h.key('revoker');
    const token = await h.connect('revoker', { 'acme/platform': 'push' });
    h.github.removeUserToken(token);
    const res = await h.link(key, 'acme/platform');
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(JSON.stringify(res.body)).toMatch(/rejects the token/);
    const shown = await h.bridge.api('GET', '/api/integrations/github', undefined, key);
    expect(shown.body).toMatchObject({ connected: true, status: 'reconnect_needed' });
  });

  it('the admin sees which links their tenants can no longer reach, and why', async () => {
    const key = await h.key('lapsed');
    expect((await h.grant('lapsed', 'owners', 'globex')).status).toBe(201);
    const res = await h.link(key, 'globex/platform');
    expect(res.status).toBe(201);
    expect((await h.revoke('lapsed', 'owners', 'globex')).status).toBe(200);

    const report = await h.bridge.api<{ items: Array<Record<string, string>> }>(
      'GET',
      '/api/v1/access/refused-links',
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ items: expect.any(Array), unchecked: [] });
    const entry = report.body.items.find((i) => i.linkId === res.body.id);
    expect(entry).toMatchObject({ tenant: 'lapsed', repo: 'https://github.com/globex/platform' });
    expect(entry?.reason).toMatch(/grant/);
    // Links that still have access are not listed.
    expect(report.body.items.map((i) => i.tenant)).not.toContain('acme');
    // Tenants cannot read the report (it spans every tenant).
    const denied = await h.bridge.api('GET', '/api/v1/access/refused-links', undefined, key);
    expect(denied.status).toBe(403);
  });

  it('the admin tenant is served by the bridge’s own token', async () => {
    const res = await h.link(undefined as unknown as string, VICTIM);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
