import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnvSecretStore, FileSecretStore, LayeredSecretStore } from '../../shared/adapters/local/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

const WEBHOOK = SECRETS.githubWebhook;

describe('environment secrets under the encrypted file', () => {
  let dir: { path: string; remove: () => Promise<void> };
  const open = async (env: Record<string, string>) =>
    new LayeredSecretStore(new EnvSecretStore(env), await FileSecretStore.open({ dataDir: dir.path }));
  const values = async (store: LayeredSecretStore) =>
    (await store.accessEnabled(WEBHOOK)).map((v) => v.value);

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());

  it('rotates an env-provided webhook secret: the new one leads, old ones stay accepted until disabled', async () => {
    const store = await open({ GITHUB_WEBHOOK_SECRET: 'current,previous' });
    expect(await values(store)).toEqual(['current', 'previous']);

    const added = await store.addVersion(WEBHOOK, 'next');
    expect(await store.accessLatest(WEBHOOK)).toEqual({ version: added, value: 'next' });
    expect(await values(store)).toEqual(['next', 'current', 'previous']);

    await store.disableVersion(WEBHOOK, 'env-1');
    expect(await values(store)).toEqual(['next', 'current']);
    expect((await store.listVersions(WEBHOOK)).map((v) => [v.version, v.state])).toEqual([
      [added, 'enabled'],
      ['env-2', 'enabled'],
      ['env-1', 'disabled'],
    ]);
    expect(await store.access(WEBHOOK, 'env-1')).toBeUndefined();

    // After a restart with the same environment, the rotation state is still there.
    expect(await values(await open({ GITHUB_WEBHOOK_SECRET: 'current,previous' }))).toEqual([
      'next',
      'current',
    ]);
  });

  it('disables an env value by its value, so a new value in the variable later is not affected', async () => {
    const store = await open({ GITHUB_WEBHOOK_SECRET: 'old' });
    await store.disableVersion(WEBHOOK, 'env-1');
    expect(await store.accessLatest(WEBHOOK)).toBeUndefined();

    const changed = await open({ GITHUB_WEBHOOK_SECRET: 'brand-new,old' });
    expect(await values(changed)).toEqual(['brand-new']);
  });

  it('answers not_found for an env version that does not exist', async () => {
    const store = await open({ GITHUB_WEBHOOK_SECRET: 'only' });
    await expect(store.disableVersion(WEBHOOK, 'env-7')).rejects.toMatchObject({ code: 'not_found' });
  });
});
