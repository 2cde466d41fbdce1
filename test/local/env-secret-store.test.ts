import { describe, expect, it } from 'vitest';
import { EnvSecretStore } from '../../shared/adapters/local/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';

describe('secrets from the environment', () => {
  it.each([
    { variable: 'BRIDGE_ADMIN_TOKEN', name: SECRETS.adminToken, raw: ' admin ', value: 'admin' },
    { variable: 'GITHUB_TOKEN', name: SECRETS.githubToken, raw: 'ghp_x', value: 'ghp_x' },
    {
      variable: 'GITHUB_APP_PRIVATE_KEY',
      name: SECRETS.githubAppPrivateKey,
      raw: '-----BEGIN KEY-----\\nabc\\n-----END KEY-----',
      value: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
    },
    {
      variable: 'GITHUB_APP_PRIVATE_KEY',
      name: SECRETS.githubAppPrivateKey,
      raw: '-----BEGIN KEY-----\nab\\nc\n-----END KEY-----\n',
      value: '-----BEGIN KEY-----\nab\\nc\n-----END KEY-----',
    },
  ])('maps $variable to $name', async ({ variable, name, raw, value }) => {
    const store = new EnvSecretStore({ [variable]: raw });
    expect(await store.accessLatest(name)).toEqual({ version: 'env-1', value });
  });

  it('reads GITHUB_WEBHOOK_SECRET as current first, then previous ones, newest first', async () => {
    const store = new EnvSecretStore({ GITHUB_WEBHOOK_SECRET: ' current , previous,, oldest ' });
    expect(await store.accessEnabled(SECRETS.githubWebhook)).toEqual([
      { version: 'env-3', value: 'current' },
      { version: 'env-2', value: 'previous' },
      { version: 'env-1', value: 'oldest' },
    ]);
    expect(await store.accessLatest(SECRETS.githubWebhook)).toEqual({ version: 'env-3', value: 'current' });
    expect(await store.access(SECRETS.githubWebhook, 'env-1')).toEqual({ version: 'env-1', value: 'oldest' });
    expect((await store.listVersions(SECRETS.githubWebhook)).map((v) => v.version)).toEqual([
      'env-3',
      'env-2',
      'env-1',
    ]);
  });

  it('ignores unset, blank and unrelated variables', async () => {
    const store = new EnvSecretStore({ GITHUB_TOKEN: '  ', BRIDGE_ADMIN_TOKEN: undefined, HOME: '/root' });
    expect(await store.accessLatest(SECRETS.githubToken)).toBeUndefined();
    expect(await store.accessLatest(SECRETS.adminToken)).toBeUndefined();
    expect(await store.accessEnabled('HOME')).toEqual([]);
  });

  it('is read-only, naming the variable but not the value', async () => {
    const store = new EnvSecretStore({ GITHUB_TOKEN: 'ghp_secret_value' });
    for (const attempt of [
      store.addVersion(SECRETS.githubToken),
      store.disableVersion(SECRETS.githubToken),
    ]) {
      const err = await attempt.then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err?.code).toBe('forbidden');
      expect(err?.message).toContain('GITHUB_TOKEN');
      expect(err?.message).not.toContain('ghp_secret_value');
    }
  });
});
