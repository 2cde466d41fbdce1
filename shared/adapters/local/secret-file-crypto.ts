import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../errors/index.ts';

const FORMAT = 'bridge-secrets/1';
const AAD = Buffer.from(FORMAT);

interface Envelope {
  format: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * The secret file's key: `BRIDGE_SECRETS_KEY` when given, else `<dataDir>/secrets.key`, generated
 * once (mode 0600). Errors name where the key came from, never the key.
 */
export function loadSecretsKey(dataDir: string, secretsKey: string | undefined): Buffer {
  if (secretsKey !== undefined) {
    return decodeKey(
      secretsKey,
      'BRIDGE_SECRETS_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
    );
  }
  const keyFile = join(dataDir, 'secrets.key');
  try {
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return decodeKey(
    readFileSync(keyFile, 'utf8').trim(),
    `${keyFile} must hold 32 random bytes in base64; delete it only if no secrets were written with it`,
  );
}

function decodeKey(text: string, problem: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text) throw new AppError('config_invalid', problem);
  return key;
}

/** AES-256-GCM with a fresh random 12-byte IV per write; the tag authenticates the whole file. */
export function encryptJson(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const envelope: Envelope = {
    format: FORMAT,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
  return `${JSON.stringify(envelope)}\n`;
}

export function decryptJson(key: Buffer, text: string, file: string): unknown {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(text) as Envelope;
  } catch {
    throw new AppError('config_invalid', `${file} is not a bridge secret file (it is not JSON)`);
  }
  if (envelope.format !== FORMAT) {
    throw new AppError(
      'config_invalid',
      `${file} is not a bridge secret file (format ${String(envelope.format)})`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'), {
      authTagLength: 16,
    });
    decipher.setAAD(AAD);
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    throw new AppError(
      'config_invalid',
      `Cannot decrypt ${file}: it was written with another key (BRIDGE_SECRETS_KEY or secrets.key in the data dir) or it is damaged`,
    );
  }
}
