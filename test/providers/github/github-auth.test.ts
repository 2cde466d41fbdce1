import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors/index.ts';
import { createGithubRepoProvider, GithubAppState } from '../../../shared/providers/github/index.ts';
import { captureLogger, FAST, FULL, harnessPerTest, OWNER, REPO, repoWithServices } from './fixtures.ts';

const APP_ID = 424242;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('GitHub provider: authentication', () => {
  const start = harnessPerTest();

  it('authenticates with a token', async () => {
    const h = await start(repoWithServices(1), {
      server: { auth: { tokens: ['ghp_right'] } },
      auth: 'ghp_right',
    });
    await h.provider.readSnapshot('main');
    expect(h.server.requests.map((r) => r.auth)).toEqual(['token', 'token']);
  });

  it('reports a rejected token as unauthorized without ever showing it', async () => {
    const h = await start(repoWithServices(1), {
      server: { auth: { tokens: ['ghp_right'] } },
      auth: 'ghp_wrong_secret_value',
    });
    const err = await h.provider.readSnapshot('main').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('unauthorized');
    expect((err as Error).message).toContain('acme/platform');
    expect((err as Error).message).not.toContain('ghp_wrong_secret_value');
    expect(JSON.stringify(isAppError(err) && err.toBody())).not.toContain('ghp_wrong');
    expect(h.logLines.join('\n')).not.toContain('ghp_wrong_secret_value');
  });

  it('authenticates as a GitHub App: finds the installation, mints one token, shares it', async () => {
    const appState = new GithubAppState();
    const h = await start(repoWithServices(2), {
      server: {
        auth: { app: { id: APP_ID, publicKey } },
        repos: { [FULL]: { files: repoWithServices(2), installationId: 77 } },
      },
      auth: { appId: APP_ID, privateKey },
      appState,
    });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.architectureFiles).toHaveLength(3);
    expect(h.server.requests.map((r) => `${r.method} ${r.route} ${r.auth}`)).toEqual([
      'GET /repos/{owner}/{repo}/installation jwt',
      'POST /app/installations/{installation_id}/access_tokens jwt',
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha} installation',
      'POST /graphql installation',
    ]);
    expect(h.provider.callCount()).toBe(4);

    // A second provider of the same App and repository (a later sync) reuses the installation and its
    // token, through the state the registry shares between its providers.
    const lines: string[] = [];
    const later = createGithubRepoProvider({
      owner: OWNER,
      repo: REPO,
      baseUrl: h.server.url,
      auth: { appId: APP_ID, privateKey },
      logger: captureLogger(lines),
      tuning: FAST,
      appState,
    });
    await later.commit({
      branch: 'main',
      expectedHeadSha: (await later.readSnapshot('main')).headSha,
      message: 'sync',
      changes: [{ path: 'architecture/definitions/svc-000.yaml', content: 'id: svc-000\n' }],
    });
    expect(later.callCount()).toBe(5);
    expect(h.server.issuedTokens).toEqual([{ installationId: 77, expiresAt: expect.any(String) }]);
    expect(lines.join('\n')).not.toContain('PRIVATE KEY');
  });

  it('says the App is not installed when the installation lookup is a 404', async () => {
    const h = await start(repoWithServices(1), {
      server: { auth: { app: { id: APP_ID, publicKey } } },
      auth: { appId: APP_ID, privateKey },
    });
    const other = createGithubRepoProvider({
      owner: OWNER,
      repo: 'not-installed',
      baseUrl: h.server.url,
      auth: { appId: APP_ID, privateKey },
      tuning: FAST,
    });
    const err = await other.headSha('main').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('not_found');
    expect((err as Error).message).toMatch(/App installed.*acme\/not-installed/);
  });

  it('rejects a JWT signed by another key', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const h = await start(repoWithServices(1), {
      server: { auth: { app: { id: APP_ID, publicKey } } },
      auth: { appId: APP_ID, privateKey: stranger },
    });
    const err = await h.provider.readSnapshot('main').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('unauthorized');
  });
});
