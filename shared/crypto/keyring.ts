import { randomBytes } from 'node:crypto';
import { AppError } from '../errors/index.ts';
import { SECRETS, type SecretStore, type SecretValue } from '../ports/index.ts';

/** AES-256 keys by id (kid = the data-key secret's version); `current` encrypts, every key decrypts. */
export interface Keyring {
  current: { kid: string; key: Buffer };
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_BYTES = 32;

/** A new data key as stored in the secret store: 32 random bytes, base64. */
export function newDataKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function decodeKey(version: SecretValue): Buffer {
  const key = Buffer.from(version.value.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    // The value is never echoed: it is key material.
    throw new AppError(
      'config_invalid',
      `Data key ${SECRETS.dataKey} version ${version.version} is not 32 bytes in base64 (openssl rand -base64 32)`,
    );
  }
  return key;
}

/** Builds a keyring from enabled versions, newest first. */
export function keyringFromVersions(versions: readonly SecretValue[]): Keyring {
  const newest = versions[0];
  if (!newest) {
    throw new AppError(
      'unavailable',
      `No data key: add a version to secret ${SECRETS.dataKey} (32 random bytes, base64)`,
    );
  }
  const keys = new Map<string, Buffer>();
  for (const v of versions) keys.set(v.version, decodeKey(v));
  return { current: { kid: newest.version, key: keys.get(newest.version) as Buffer }, keys };
}

/**
 * The data keys from the secret store (every enabled version of SECRETS.dataKey). With
 * `createIfMissing` (local mode) the first key is generated when the secret has no version; on GCP
 * the key is provisioned (or rotated) explicitly.
 */
export async function loadKeyring(
  secrets: SecretStore,
  options: { createIfMissing?: boolean } = {},
): Promise<Keyring> {
  let versions = await secrets.accessEnabled(SECRETS.dataKey);
  if (versions.length === 0 && options.createIfMissing) {
    await secrets.addVersion(SECRETS.dataKey, newDataKey());
    versions = await secrets.accessEnabled(SECRETS.dataKey);
  }
  return keyringFromVersions(versions);
}
