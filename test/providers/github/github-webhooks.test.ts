import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLocalGitRepoProvider } from '../../../shared/providers/index.ts';
import { createBareRepo, tempDir } from '../../support/local-git.ts';
import { FULL, harnessPerTest, repoWithServices } from './fixtures.ts';

const HOOK = {
  url: 'https://bridge.example.test/github/webhook',
  secret: 'whsec-hooks',
  events: ['push', 'pull_request'],
};

describe('GitHub provider: repository webhooks (token)', () => {
  const start = harnessPerTest();

  it('says a token must manage its hooks; lists, creates and deletes them through the REST API', async () => {
    const h = await start(repoWithServices(1));
    expect(h.provider.webhookSupport()).toEqual({ managed: true });
    expect(await h.provider.listWebhooks()).toEqual([]);

    const created = await h.provider.createWebhook(HOOK);
    expect(created).toMatchObject({
      id: expect.any(Number),
      url: HOOK.url,
      events: HOOK.events,
      active: true,
    });
    const stored = h.server.repo(FULL).hooks;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.config).toMatchObject({ url: HOOK.url, content_type: 'json', secret: 'whsec-hooks' });

    expect(await h.provider.listWebhooks()).toEqual([created]);
    await h.provider.deleteWebhook(created.id);
    expect(h.server.repo(FULL).hooks).toEqual([]);
    // Already gone counts as deleted.
    await h.provider.deleteWebhook(created.id);
    const routes = h.server.requests.map((r) => `${r.method} ${r.route} ${r.status}`);
    expect(routes).toContain('POST /repos/{owner}/{repo}/hooks 201');
    expect(routes).toContain('DELETE /repos/{owner}/{repo}/hooks/{hook_id} 204');
  });

  it('sets a new secret on a hook and leaves the rest of its configuration alone', async () => {
    const h = await start(repoWithServices(1));
    const created = await h.provider.createWebhook(HOOK);
    await h.provider.updateWebhook(created.id, { secret: 'whsec-rotated' });
    const [stored] = h.server.repo(FULL).hooks;
    expect(stored).toMatchObject({
      active: true,
      events: HOOK.events,
      config: { url: HOOK.url, content_type: 'json', insecure_ssl: '0', secret: 'whsec-rotated' },
    });
    expect(await h.provider.listWebhooks()).toEqual([created]);
    const patch = h.server.requests.find((r) => r.method === 'PATCH');
    expect(`${patch?.method} ${patch?.route} ${patch?.status}`).toBe(
      'PATCH /repos/{owner}/{repo}/hooks/{hook_id}/config 200',
    );
    expect(patch?.requestBody).toEqual({ secret: 'whsec-rotated' });
    expect(h.logLines.join('\n')).not.toContain('whsec-rotated');
    h.server.assertValid();
  });

  it.each([
    [403, 'forbidden'],
    [404, 'not_found'],
    [503, 'unavailable'],
  ])('a secret update answered %i is refused as %s', async (status, code) => {
    const h = await start(repoWithServices(1));
    const created = await h.provider.createWebhook(HOOK);
    h.server.injectFault({ method: 'PATCH', path: '/hooks/', status, times: Number.POSITIVE_INFINITY });
    await expect(h.provider.updateWebhook(created.id, { secret: 'whsec-rotated' })).rejects.toMatchObject({
      code,
    });
    expect(h.server.repo(FULL).hooks[0]?.config.secret).toBe('whsec-hooks');
  });

  it.each([
    [403, 'forbidden'],
    [404, 'not_found'],
  ])('a token that may not manage hooks (%i) is refused as %s', async (status, code) => {
    const h = await start(repoWithServices(1));
    h.server.injectFault({
      method: 'POST',
      path: '/hooks',
      status,
      body: { message: 'Resource not accessible by personal access token' },
    });
    await expect(h.provider.createWebhook(HOOK)).rejects.toMatchObject({ code });
    expect(h.server.repo(FULL).hooks).toEqual([]);
  });
});

describe('repository webhooks that the bridge does not manage', () => {
  const start = harnessPerTest();

  it('a GitHub App delivers its own webhooks: nothing to manage', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const h = await start(repoWithServices(1), {
      auth: { appId: 1, privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() },
    });
    expect(h.provider.webhookSupport()).toEqual({
      managed: false,
      reason: expect.stringContaining('GitHub App'),
    });
  });

  it('a local git repository has no webhooks, and says how its changes are picked up', async () => {
    const dir = await tempDir('bridge-hooks-local-');
    try {
      await createBareRepo(`${dir.dir}/repo.git`, { 'README.md': 'x\n' });
      const provider = createLocalGitRepoProvider({ path: `${dir.dir}/repo.git` });
      expect(provider.webhookSupport()).toEqual({
        managed: false,
        reason: expect.stringMatching(/reconcile/),
      });
      expect(await provider.listWebhooks()).toEqual([]);
      await expect(provider.createWebhook(HOOK)).rejects.toMatchObject({ code: 'validation_failed' });
    } finally {
      await dir.cleanup();
    }
  });
});
