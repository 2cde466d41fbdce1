import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../errors/index.ts';
import type { SecretStore, SecretValue, SecretVersion } from '../../ports/index.ts';
import { decryptJson, encryptJson, loadSecretsKey } from './secret-file-crypto.ts';

export interface StoredVersion extends SecretVersion {
  value: string;
}

interface StoredSecret {
  versions: StoredVersion[];
  /** Fingerprints of values from outside this file (the environment) that were disabled. */
  disabledExternal?: string[];
}

interface SecretFile {
  secrets: Record<string, StoredSecret>;
}

export interface FileSecretStoreOptions {
  dataDir: string;
  /** base64 of 32 bytes; when absent the key lives in `<dataDir>/secrets.key`. */
  secretsKey?: string | undefined;
  now?: () => Date;
}

/**
 * The secret store port on one encrypted file in the data dir (`secrets.enc`), Secret Manager's
 * model: numbered versions, enabled or disabled. Every write goes to a temp file renamed over the old
 * one, so a crash leaves the previous or the new file, never half of one. Writes in one process are
 * serialised; two processes writing at the same instant can lose one write (local mode only).
 */
export class FileSecretStore implements SecretStore {
  readonly file: string;
  private readonly key: Buffer;
  private readonly now: () => Date;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(file: string, key: Buffer, now: () => Date) {
    this.file = file;
    this.key = key;
    this.now = now;
  }

  /** Loads (or creates) the key and decrypts the file once, so a wrong key fails at start-up. */
  static async open(options: FileSecretStoreOptions): Promise<FileSecretStore> {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const key = loadSecretsKey(options.dataDir, options.secretsKey);
    const store = new FileSecretStore(
      join(options.dataDir, 'secrets.enc'),
      key,
      options.now ?? (() => new Date()),
    );
    await store.load();
    return store;
  }

  async accessLatest(name: string): Promise<SecretValue | undefined> {
    const latest = sortedVersions(await this.secret(name)).find((v) => v.state === 'enabled');
    return latest && { version: latest.version, value: latest.value };
  }

  async access(name: string, version: string): Promise<SecretValue | undefined> {
    if (version === 'latest') return this.accessLatest(name);
    const found = (await this.secret(name))?.versions.find((v) => v.version === version);
    return found?.state === 'enabled' ? { version: found.version, value: found.value } : undefined;
  }

  async addVersion(name: string, value: string): Promise<string> {
    return this.mutate((file) => {
      const secret = secretIn(file, name);
      const next = Math.max(0, ...secret.versions.map((v) => Number(v.version))) + 1;
      secret.versions.push({
        version: String(next),
        state: 'enabled',
        createTime: this.now().toISOString(),
        value,
      });
      return String(next);
    });
  }

  async listVersions(name: string): Promise<SecretVersion[]> {
    return sortedVersions(await this.secret(name)).map(({ version, state, createTime }) => ({
      version,
      state,
      createTime,
    }));
  }

  async disableVersion(name: string, version: string): Promise<void> {
    await this.mutate((file) => {
      const found = file.secrets[name]?.versions.find((v) => v.version === version);
      if (!found) throw new AppError('not_found', `Secret ${name} has no version ${version}`);
      if (found.state === 'enabled') found.state = 'disabled';
    });
  }

  async accessEnabled(name: string): Promise<SecretValue[]> {
    return sortedVersions(await this.secret(name))
      .filter((v) => v.state === 'enabled')
      .map((v) => ({ version: v.version, value: v.value }));
  }

  /**
   * For the environment overlay: every version with its value (newest first, disabled ones included)
   * and the fingerprints recorded by `disableExternal`, from one read of the file.
   */
  async describe(name: string): Promise<{ versions: StoredVersion[]; disabledExternal: string[] }> {
    const secret = await this.secret(name);
    return { versions: sortedVersions(secret), disabledExternal: secret?.disabledExternal ?? [] };
  }

  async disableExternal(name: string, fingerprint: string): Promise<void> {
    await this.mutate((file) => {
      const secret = secretIn(file, name);
      secret.disabledExternal = [...new Set([...(secret.disabledExternal ?? []), fingerprint])];
    });
  }

  private async secret(name: string): Promise<StoredSecret | undefined> {
    return (await this.load()).secrets[name];
  }

  private async load(): Promise<SecretFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { secrets: {} };
      throw err;
    }
    return decryptJson(this.key, text, this.file) as SecretFile;
  }

  private mutate<T>(change: (file: SecretFile) => T): Promise<T> {
    const run = this.writing.then(async () => {
      const file = await this.load();
      const result = change(file);
      await this.save(file);
      return result;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async save(file: SecretFile): Promise<void> {
    const temp = `${this.file}.${process.pid}.${randomUUID()}.tmp`;
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(encryptJson(this.key, file));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

function secretIn(file: SecretFile, name: string): StoredSecret {
  let secret = file.secrets[name];
  if (!secret) {
    secret = { versions: [] };
    file.secrets[name] = secret;
  }
  return secret;
}

function sortedVersions(secret: StoredSecret | undefined): StoredVersion[] {
  return [...(secret?.versions ?? [])].sort((a, b) => Number(b.version) - Number(a.version));
}
