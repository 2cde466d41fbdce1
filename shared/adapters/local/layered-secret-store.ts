import { createHash } from 'node:crypto';
import type { SecretStore, SecretValue, SecretVersion } from '../../ports/index.ts';
import { EnvSecretStore } from './env-secret-store.ts';
import type { FileSecretStore } from './file-secret-store.ts';

interface Entry extends SecretValue {
  state: SecretVersion['state'];
  createTime: string;
}

/**
 * Environment values under the encrypted file. A version added here goes to the file and is newer
 * than any environment value, so a rotation works: add the new value, both stay accepted
 * (accessEnabled), then disable the old one — an environment version is disabled by a marker kept in
 * the file (by fingerprint, so a new value put in the variable later is not affected).
 * While the file holds an enabled version, it wins over the environment.
 */
export class LayeredSecretStore implements SecretStore {
  private readonly env: EnvSecretStore;
  private readonly file: FileSecretStore;

  constructor(env: EnvSecretStore, file: FileSecretStore) {
    this.env = env;
    this.file = file;
  }

  async accessLatest(name: string): Promise<SecretValue | undefined> {
    const latest = (await this.entries(name)).find((e) => e.state === 'enabled');
    return latest && { version: latest.version, value: latest.value };
  }

  async access(name: string, version: string): Promise<SecretValue | undefined> {
    if (version === 'latest') return this.accessLatest(name);
    const found = (await this.entries(name)).find((e) => e.version === version);
    return found?.state === 'enabled' ? { version: found.version, value: found.value } : undefined;
  }

  addVersion(name: string, value: string): Promise<string> {
    return this.file.addVersion(name, value);
  }

  async listVersions(name: string): Promise<SecretVersion[]> {
    return (await this.entries(name)).map(({ version, state, createTime }) => ({
      version,
      state,
      createTime,
    }));
  }

  async disableVersion(name: string, version: string): Promise<void> {
    if (!EnvSecretStore.isEnvVersion(version)) return this.file.disableVersion(name, version);
    const found = this.env.entries(name).find((e) => e.version === version);
    if (!found) return this.file.disableVersion(name, version); // reports not_found
    await this.file.disableExternal(name, fingerprint(name, found.value));
  }

  async accessEnabled(name: string): Promise<SecretValue[]> {
    return (await this.entries(name))
      .filter((e) => e.state === 'enabled')
      .map(({ version, value }) => ({ version, value }));
  }

  /** File versions (newest first), then environment values (newest first). */
  private async entries(name: string): Promise<Entry[]> {
    const [{ versions, disabledExternal }, envVersions] = await Promise.all([
      this.file.describe(name),
      this.env.listVersions(name),
    ]);
    const envValues = this.env.entries(name);
    const fromEnv = envVersions.map((v, i): Entry => {
      const value = envValues[i]?.value ?? '';
      const state = disabledExternal.includes(fingerprint(name, value)) ? 'disabled' : v.state;
      return { ...v, state, value };
    });
    return [...versions, ...fromEnv];
  }
}

function fingerprint(name: string, value: string): string {
  return createHash('sha256').update(`${name}\0${value}`).digest('base64url');
}
