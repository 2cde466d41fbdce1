import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ENCRYPTED_FIELDS,
  isEncryptedCredential,
  newDataKey,
  reencryptAll,
} from '../../shared/crypto/index.ts';
import {
  CREDENTIALS,
  githubCredentialId,
  OAUTH_STATES,
  readGithubUserToken,
} from '../../shared/oauth/index.ts';
import { consumeOAuthState, createOAuthState } from '../../shared/oauth/oauth-state.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { approve, callback, connectAccount, errorOf, startConnect } from './support/connect-flow.ts';
import { type LoopbackOAuth, startLoopbackOAuth } from './support/loopback-oauth.ts';

const CLIENT_ID = 'Iv1.loopbackclient01';
const CLIENT_SECRET = 'oauth-client-secret-0123456789abcdef';
const PUBLIC_URL = 'http://bridge.test';

describe('GitHub OAuth connect flow against a loopback OAuth server', () => {
  let oauth: LoopbackOAuth;
  let bridge: TestBridge;

  beforeAll(async () => {
    oauth = await startLoopbackOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    bridge = await startTestBridge({
      GITHUB_OAUTH_CLIENT_ID: CLIENT_ID,
      GITHUB_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      GITHUB_OAUTH_BASE: oauth.url,
      // Tokens are revoked through the REST API (DELETE /applications/{client_id}/token).
      GITHUB_API_URL: oauth.url,
      GITHUB_OAUTH_SCOPES: 'repo read:org',
      BRIDGE_PUBLIC_URL: PUBLIC_URL,
    });
  });
  afterAll(async () => {
    await bridge?.close();
    await oauth?.close();
  });
  afterEach(() => {
    const text = bridge.logs.join('\n');
    for (const grant of oauth.issued) {
      expect(text).not.toContain(grant.token);
      expect(text).not.toContain(grant.code);
    }
    expect(text).not.toContain(CLIENT_SECRET);
  });

  async function tenantKey(tenant: string): Promise<string> {
    const res = await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant });
    expect(res.status).toBe(201);
    return res.body.key;
  }

  it('connect redirects to GitHub with the client, callback, scopes and a fresh 256-bit state', async () => {
    const a = await startConnect(bridge.url);
    const b = await startConnect(bridge.url);
    expect(`${a.authorizeUrl.origin}${a.authorizeUrl.pathname}`).toBe(`${oauth.url}/login/oauth/authorize`);
    expect(Object.fromEntries(a.authorizeUrl.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: `${PUBLIC_URL}/api/integrations/github/callback`,
    });
    expect(a.authorizeUrl.searchParams.get('scope')?.split(/[ ,]/)).toEqual(['repo', 'read:org']);
    expect(a.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.state).not.toBe(b.state);
    expect(a.setCookie).toMatch(/^bridge_github_oauth=[A-Za-z0-9_-]{43}; /);
    expect(a.setCookie).toContain('HttpOnly');
    expect(a.setCookie).toContain('SameSite=Lax');
    expect(a.setCookie).toContain('Path=/api/integrations/github/callback');
    expect(a.cookie).not.toContain(a.state);
    // Only a hash of the state is at rest.
    const stored = await bridge.ctx.state.query(OAUTH_STATES);
    expect(JSON.stringify(stored)).not.toContain(a.state);
  });

  it('asks for JSON when the page script wants to navigate itself', async () => {
    const res = await fetch(`${bridge.url}/api/integrations/github/connect`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { authorizeUrl: string; expiresAt: string };
    expect(body.authorizeUrl).toContain(`${oauth.url}/login/oauth/authorize?`);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(res.headers.get('set-cookie')).toMatch(/^bridge_github_oauth=/);
  });

  it('callback exchanges the code, stores the token encrypted for the tenant and returns to the dashboard', async () => {
    const key = await tenantKey('acme');
    const { approved, done } = await connectAccount(bridge.url, key);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`${PUBLIC_URL}/?github=connected`);
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect(done.headers.get('referrer-policy')).toBe('no-referrer');
    expect(done.headers.get('set-cookie')).toMatch(/^bridge_github_oauth=; .*Max-Age=0/);

    const grant = oauth.issued.find((g) => g.code === approved.code);
    expect(grant).toBeDefined();
    const exchange = oauth.exchanges.at(-1);
    expect(exchange?.params).toMatchObject({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code: approved.code,
      redirect_uri: `${PUBLIC_URL}/api/integrations/github/callback`,
    });
    expect(exchange?.accept).toBe('application/json');
    expect(exchange?.outcome).toBe('token');

    const doc = await bridge.ctx.state.get(CREDENTIALS, githubCredentialId('acme'));
    expect(doc?.data).toMatchObject({ tenant: 'acme', provider: 'github', scopes: ['repo', 'read:org'] });
    expect(isEncryptedCredential(doc?.data.secret)).toBe(true);
    expect(JSON.stringify(doc)).not.toContain(grant?.token);
    expect(done.text).not.toContain(grant?.token ?? '∅');
    expect(await readGithubUserToken(bridge.ctx, 'acme')).toBe(grant?.token);

    const status = await bridge.api('GET', '/api/integrations/github', undefined, key);
    expect(status.body).toEqual({
      connected: true,
      status: 'active',
      scopes: ['repo', 'read:org'],
      connectedAt: expect.any(String),
    });
    expect(JSON.stringify(status.body)).not.toContain(grant?.token);
    // Another tenant sees nothing of it.
    const other = await bridge.api('GET', '/api/integrations/github', undefined, await tenantKey('globex'));
    expect(other.body).toEqual({ connected: false });
  });

  it('disconnecting forgets the token and has GitHub revoke that token', async () => {
    const key = await tenantKey('initech');
    const { approved } = await connectAccount(bridge.url, key);
    const token = oauth.issued.find((g) => g.code === approved.code)?.token ?? '∅';
    expect(await readGithubUserToken(bridge.ctx, 'initech')).toBe(token);

    const res = await bridge.api('DELETE', '/api/integrations/github', undefined, key);
    expect(res).toMatchObject({
      status: 200,
      body: { connected: false, disconnected: true, revokedAtGithub: true },
    });
    expect(oauth.revoked).toContain(token);
    expect(await readGithubUserToken(bridge.ctx, 'initech')).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain(token);
    // Nothing left to disconnect.
    const again = await bridge.api('DELETE', '/api/integrations/github', undefined, key);
    expect(again.body).toEqual({ connected: false, disconnected: false, revokedAtGithub: false });
  });

  it('a stored token that can no longer be decrypted is still disconnected', async () => {
    const key = await tenantKey('umbrella');
    await connectAccount(bridge.url, key);
    const doc = await bridge.ctx.state.get<Record<string, unknown>>(
      CREDENTIALS,
      githubCredentialId('umbrella'),
    );
    const secret = doc?.data.secret as Record<string, unknown>;
    await bridge.ctx.state.set(CREDENTIALS, githubCredentialId('umbrella'), {
      ...doc?.data,
      secret: { ...secret, data: 'AAAA', tag: 'AAAAAAAAAAAAAAAAAAAAAA' },
    });
    const res = await bridge.api('DELETE', '/api/integrations/github', undefined, key);
    expect(res).toMatchObject({ status: 200, body: { disconnected: true, revokedAtGithub: false } });
    expect((await bridge.api('GET', '/api/integrations/github', undefined, key)).body).toEqual({
      connected: false,
    });
  });

  it('ENCRYPTED_FIELDS covers the stored token, so a data-key rotation re-encrypts it', async () => {
    expect(ENCRYPTED_FIELDS).toContainEqual({ collection: CREDENTIALS, field: 'secret' });
    await connectAccount(bridge.url, await tenantKey('rotating'));
    const before = await bridge.ctx.state.get<{ secret: { kid: string } }>(
      CREDENTIALS,
      githubCredentialId('rotating'),
    );
    const plaintext = await readGithubUserToken(bridge.ctx, 'rotating');
    await bridge.ctx.secrets.addVersion(SECRETS.dataKey, newDataKey());
    const result = await reencryptAll(bridge.ctx, CREDENTIALS, 'secret');
    expect(result.reencrypted).toBeGreaterThanOrEqual(1);
    expect(result.failed).toBe(0);
    const after = await bridge.ctx.state.get<{ secret: { kid: string } }>(
      CREDENTIALS,
      githubCredentialId('rotating'),
    );
    expect(after?.data.secret.kid).not.toBe(before?.data.secret.kid);
    expect(await readGithubUserToken(bridge.ctx, 'rotating')).toBe(plaintext);
  });

  describe('state checks (CSRF)', () => {
    it('a used state is refused the second time, and GitHub is not asked again', async () => {
      const started = await startConnect(bridge.url);
      const approved = await approve(started);
      expect((await callback(bridge.url, approved.query, started.cookie)).status).toBe(302);
      const exchanges = oauth.exchanges.length;
      const again = await callback(bridge.url, approved.query, started.cookie);
      expect(again.status).toBe(400);
      expect(errorOf(again).message).toMatch(/already used/);
      expect(oauth.exchanges.length).toBe(exchanges);
    });

    it('two concurrent callbacks with one state: exactly one wins', async () => {
      const started = await startConnect(bridge.url);
      const approved = await approve(started);
      const exchanges = oauth.exchanges.length;
      const results = await Promise.all(
        Array.from({ length: 4 }, () => callback(bridge.url, approved.query, started.cookie)),
      );
      expect(results.map((r) => r.status).sort()).toEqual([302, 400, 400, 400]);
      expect(oauth.exchanges.length).toBe(exchanges + 1);
    });

    it('consuming one state from interleaved reads: the guarded delete lets exactly one through', async () => {
      const flow = await createOAuthState(bridge.ctx, { tenant: 'race', keyId: 'k' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 4 }, () => consumeOAuthState(bridge.ctx, flow.state, flow.browserNonce)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect(String(o.reason)).toMatch(/already used/);
      }
    });

    it.each([
      ['no state', (q: URLSearchParams) => q.delete('state'), /Missing state/],
      ['an unknown state', (q: URLSearchParams) => q.set('state', 'x'.repeat(43)), /Unknown or already used/],
      [
        'a malformed state',
        (q: URLSearchParams) => q.set('state', '../../etc/passwd'),
        /Unknown OAuth state/,
      ],
    ])('%s is a 400 that says to start again', async (_name, edit, message) => {
      const started = await startConnect(bridge.url);
      const approved = await approve(started);
      const query = new URLSearchParams(approved.query);
      edit(query);
      const res = await callback(bridge.url, `?${query}`, started.cookie);
      expect(res.status).toBe(400);
      expect(errorOf(res)).toMatchObject({ code: 'bad_request' });
      expect(errorOf(res).message).toMatch(message);
      expect(errorOf(res).message).toContain('/api/integrations/github/connect');
      expect(res.text).not.toContain(approved.code);
    });

    it('a callback from another browser (no cookie, or someone else’s) is refused: no login CSRF', async () => {
      const victim = await startConnect(bridge.url);
      const attacker = await startConnect(bridge.url);
      const approved = await approve(attacker);
      const exchanges = oauth.exchanges.length;
      for (const cookie of [undefined, victim.cookie]) {
        const res = await callback(bridge.url, approved.query, cookie);
        expect(res.status).toBe(400);
        expect(errorOf(res).message).toMatch(/another browser|already used/);
      }
      expect(oauth.exchanges.length).toBe(exchanges);
    });

    it('an expired state is refused (checked on the stored expiry, not only the TTL purge)', async () => {
      const started = await startConnect(bridge.url);
      const approved = await approve(started);
      const [doc] = await bridge.ctx.state.query<{ expiresAt: string }>(OAUTH_STATES, {
        where: [['expiresAt', '>', new Date().toISOString()]],
        orderBy: { field: 'expiresAt', direction: 'desc' },
        limit: 1,
      });
      expect(doc).toBeDefined();
      await bridge.ctx.state.set(OAUTH_STATES, doc!.id, {
        ...doc!.data,
        expiresAt: new Date(0).toISOString(),
      });
      const res = await callback(bridge.url, approved.query, started.cookie);
      expect(res.status).toBe(400);
      expect(errorOf(res).message).toMatch(/expired/);
    });

    it('the user denying access is a 400 naming GitHub’s reason, and the state is spent', async () => {
      const started = await startConnect(bridge.url);
      const query = `?error=access_denied&error_description=The+user+has+denied&state=${started.state}`;
      const res = await callback(bridge.url, query, started.cookie);
      expect(res.status).toBe(400);
      expect(errorOf(res).message).toBe('GitHub authorization was not granted (access_denied)');
      expect((await callback(bridge.url, query, started.cookie)).status).toBe(400);
    });

    it('the state binds the tenant: the token lands with the tenant that started, no other', async () => {
      const initech = await tenantKey('initech');
      const adminDoc = () => bridge.ctx.state.get(CREDENTIALS, githubCredentialId('default'));
      const before = (await adminDoc())?.version;
      const started = await startConnect(bridge.url, initech);
      const approved = await approve(started);
      expect((await callback(bridge.url, approved.query, started.cookie)).status).toBe(302);
      const grant = oauth.issued.find((g) => g.code === approved.code);
      expect(await readGithubUserToken(bridge.ctx, 'initech')).toBe(grant?.token);
      expect((await adminDoc())?.version).toBe(before);
      expect(await readGithubUserToken(bridge.ctx, 'default')).not.toBe(grant?.token);
    });
  });

  describe('GitHub failures are 502 with a safe message, nothing stored', () => {
    it.each([
      ['bad_verification_code', /refused the authorization code \(bad_verification_code\)/],
      ['incorrect_client_credentials', /refused the authorization code \(incorrect_client_credentials\)/],
      ['http_500', /did not complete/],
      ['html', /did not complete/],
    ] as const)('%s', async (fault, message) => {
      const tenant = `fail-${fault.replaceAll('_', '-')}`;
      const started = await startConnect(bridge.url, await tenantKey(tenant));
      const approved = await approve(started);
      oauth.failNext(fault);
      const res = await callback(bridge.url, approved.query, started.cookie);
      expect(res.status).toBe(502);
      expect(errorOf(res)).toMatchObject({ code: 'upstream_failed' });
      expect(errorOf(res).message).toMatch(message);
      expect(res.text).not.toContain(approved.code);
      expect(res.text).not.toContain(CLIENT_SECRET);
      expect(await bridge.ctx.state.get(CREDENTIALS, githubCredentialId(tenant))).toBeUndefined();
      expect(bridge.logs.some((l) => l.includes('GitHub OAuth code exchange failed'))).toBe(true);
    });
  });

  describe('connect needs the caller’s bearer', () => {
    it.each([
      ['no token', undefined],
      ['a wrong token', 'wrong-token-0000'],
    ])('%s → 401, no state created', async (_name, token) => {
      const before = (await bridge.ctx.state.query(OAUTH_STATES)).length;
      const res = await fetch(`${bridge.url}/api/integrations/github/connect`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        redirect: 'manual',
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('location')).toBeNull();
      expect((await bridge.ctx.state.query(OAUTH_STATES)).length).toBe(before);
    });

    it('a revoked key cannot start a flow', async () => {
      const created = await bridge.api<{ id: string; key: string }>('POST', '/api/v1/keys', {
        tenant: 'gone',
      });
      expect((await bridge.api('DELETE', `/api/v1/keys/${created.body.id}`)).status).toBe(204);
      const res = await fetch(`${bridge.url}/api/integrations/github/connect`, {
        headers: { authorization: `Bearer ${created.body.key}` },
        redirect: 'manual',
      });
      expect(res.status).toBe(401);
    });

    it('unknown integration routes are 404 and other methods 405', async () => {
      expect((await bridge.api('GET', '/api/integrations/gitlab/connect')).status).toBe(404);
      expect((await bridge.api('POST', '/api/integrations/github/connect')).status).toBe(405);
    });
  });
});

describe('GitHub OAuth without an OAuth App configured', () => {
  it('connect is a 503 that names the settings to set, and the callback refuses unknown states', async () => {
    const bridge = await startTestBridge();
    try {
      const res = await bridge.api<{ error: { code: string; message: string } }>(
        'GET',
        '/api/integrations/github/connect',
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET/);
      const cb = await fetch(
        `${bridge.url}/api/integrations/github/callback?code=abc&state=${'y'.repeat(43)}`,
      );
      expect(cb.status).toBe(400);
    } finally {
      await bridge.close();
    }
  });
});
