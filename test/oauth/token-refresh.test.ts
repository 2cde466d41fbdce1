import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SingleFlight } from '../../shared/context/index.ts';
import { isEncryptedCredential } from '../../shared/crypto/index.ts';
import { CREDENTIALS, githubAccountToken, githubCredentialId } from '../../shared/oauth/index.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { grantLocalFolder, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackGithub, startLoopbackGithub } from '../support/loopback-github/index.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';
import { connectAccount } from './support/connect-flow.ts';
import { type LoopbackOAuth, startLoopbackOAuth } from './support/loopback-oauth.ts';

const CLIENT_ID = 'Iv1.refreshloopback01';
const CLIENT_SECRET = 'refresh-client-secret-0123456789abcdef';
const EIGHT_HOURS = 8 * 3600;

/**
 * GitHub App user-to-server tokens expire after 8 hours; a single-use refresh token renews them. The
 * bridge refreshes before expiry, once per connection however many syncs need the token at once
 * (in one process or several), and marks the connection "reconnect needed" when GitHub refuses.
 */
describe('expiring GitHub user tokens are refreshed', () => {
  let github: LoopbackGithub;
  let oauth: LoopbackOAuth;
  let bridge: TestBridge;
  let key: string;
  let linkId: string;

  const credential = () =>
    bridge.ctx.state.get<Record<string, unknown>>(CREDENTIALS, githubCredentialId('acme'));
  /** The stored token expires at `at` (ms), and GitHub agrees that the current token does. */
  async function expireAt(at: number): Promise<void> {
    const doc = await credential();
    await bridge.ctx.state.set(CREDENTIALS, githubCredentialId('acme'), {
      ...doc?.data,
      expiresAt: new Date(at).toISOString(),
    });
  }
  async function sync(): Promise<Operation> {
    const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {}, key);
    await bridge.idle();
    return (
      await bridge.api<Operation>('GET', `/api/v1/operations/${queued.body.operationId}`, undefined, key)
    ).body;
  }

  beforeAll(async () => {
    github = await startLoopbackGithub({
      repos: { 'acme/platform': { files: repoFiles(services()) } },
      auth: { tokens: [] },
    });
    oauth = await startLoopbackOAuth({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      expiring: { expiresInSeconds: EIGHT_HOURS, refreshTokenExpiresInSeconds: 180 * 86400 },
      // GitHub itself refuses an expired token.
      onToken: (token, expiresAt) =>
        github.setUserToken(token, {
          repos: { 'acme/platform': 'push' },
          ...(expiresAt ? { expiresAt } : {}),
        }),
    });
    bridge = await startTestBridge({
      GITHUB_API_URL: github.url,
      GITHUB_OAUTH_CLIENT_ID: CLIENT_ID,
      GITHUB_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
      GITHUB_OAUTH_BASE: oauth.url,
    });
    key = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' })).body.key;
    await grantLocalFolder(bridge, 'acme');
    expect((await connectAccount(bridge.url, key)).done.status).toBe(302);
    const design = join(bridge.dir, 'design.json');
    await writeFile(design, JSON.stringify(designOf(services())));
    const created = await bridge.api<Link>(
      'POST',
      '/api/v1/links',
      { repo: 'https://github.com/acme/platform', design: pathToFileURL(design).href, branch: 'main' },
      key,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    linkId = created.body.id;
    await bridge.idle();
  });
  afterAll(async () => {
    const logs = bridge.logs.join('\n');
    expect(logs).not.toMatch(/gh[ur]_[0-9a-f]{20}/);
    await bridge?.close();
    await github?.close();
    await oauth?.close();
  });

  it('stores the refresh token encrypted, with both expiries, and shows when the token expires', async () => {
    const doc = await credential();
    expect(isEncryptedCredential(doc?.data.refreshSecret)).toBe(true);
    expect(JSON.stringify(doc)).not.toMatch(/gh[ur]_/);
    const expiresAt = Date.parse(String(doc?.data.expiresAt));
    expect(expiresAt - Date.now()).toBeGreaterThan((EIGHT_HOURS - 60) * 1000);
    expect(Date.parse(String(doc?.data.refreshTokenExpiresAt)) - Date.now()).toBeGreaterThan(170 * 86400_000);
    const shown = await bridge.api('GET', '/api/integrations/github', undefined, key);
    expect(shown.body).toMatchObject({ connected: true, status: 'active', expiresAt: expect.any(String) });
  });

  it('a token about to expire is refreshed before a sync uses it', async () => {
    const before = oauth.refreshes.length;
    await expireAt(Date.now() + 60_000);
    const op = await sync();
    expect(op, JSON.stringify(op.error)).toMatchObject({ status: 'succeeded' });
    expect(oauth.refreshes.slice(before).map((r) => r.outcome)).toEqual(['token']);
    const doc = await credential();
    expect(Date.parse(String(doc?.data.expiresAt)) - Date.now()).toBeGreaterThan((EIGHT_HOURS - 60) * 1000);
    // Fresh again: the next sync does not refresh.
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(oauth.refreshes.length).toBe(before + 1);
  });

  it('concurrent uses in one process refresh once and share the new token', async () => {
    const before = oauth.refreshes.length;
    await expireAt(Date.now() - 1000);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => githubAccountToken(bridge.ctx, 'acme')));
    expect(a).toMatchObject({ state: 'active' });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(oauth.refreshes.length).toBe(before + 1);
  });

  it('two processes (one state store, their own in-flight maps) refresh once: the second waits for the first', async () => {
    const before = oauth.refreshes.length;
    await expireAt(Date.now() - 1000);
    const release = oauth.holdRefreshes();
    const arrived = oauth.nextRefresh();
    const first = githubAccountToken(bridge.ctx, 'acme', { singleFlight: new SingleFlight() });
    await arrived;
    // The first holds the claim and is talking to GitHub; the second finds the claim and waits.
    const second = githubAccountToken(bridge.ctx, 'acme', { singleFlight: new SingleFlight(), pollMs: 5 });
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ state: 'active' });
    expect(b).toEqual(a);
    expect(oauth.refreshes.length).toBe(before + 1);
  });

  it('GitHub failing during a refresh is a retryable error, not a lost connection', async () => {
    await expireAt(Date.now() - 1000);
    oauth.failNext('http_500');
    const err = await githubAccountToken(bridge.ctx, 'acme').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((await credential())?.data).toMatchObject({ status: 'active' });
    expect((await credential())?.data.refreshClaim).toBeUndefined();
    expect(await githubAccountToken(bridge.ctx, 'acme')).toMatchObject({ state: 'active' });
  });

  it('a refused refresh marks the connection and the link "reconnect needed"; reconnecting heals both', async () => {
    await expireAt(Date.now() - 1000);
    oauth.failNext('bad_refresh_token');
    const op = await sync();
    expect(op).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(op.error?.message).toMatch(/needs reconnecting.*\/api\/integrations\/github\/connect/);
    const shown = await bridge.api<Record<string, unknown>>(
      'GET',
      '/api/integrations/github',
      undefined,
      key,
    );
    expect(shown.body).toMatchObject({ connected: true, status: 'reconnect_needed' });
    expect(String(shown.body.reason)).toMatch(/bad_refresh_token/);
    const link = await bridge.api<Link>('GET', `/api/v1/links/${linkId}`, undefined, key);
    expect(link.body.access).toMatchObject({ state: 'reconnect_needed' });

    // Later syncs say the same without asking GitHub again.
    const refreshes = oauth.refreshes.length;
    expect(await sync()).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    expect(oauth.refreshes.length).toBe(refreshes);

    expect((await connectAccount(bridge.url, key)).done.status).toBe(302);
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    const healed = await bridge.api<Link>('GET', `/api/v1/links/${linkId}`, undefined, key);
    expect(healed.body.access).toBeUndefined();
    expect((await bridge.api('GET', '/api/integrations/github', undefined, key)).body).toMatchObject({
      status: 'active',
    });
  });
});
