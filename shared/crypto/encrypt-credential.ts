import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../errors/index.ts';
import type { Keyring } from './keyring.ts';

/** A credential encrypted with AES-256-GCM under the data key `kid` (all binary fields base64). */
export const EncryptedCredential = z.object({
  v: z.literal(1),
  kid: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string(),
});
export type EncryptedCredential = z.infer<typeof EncryptedCredential>;

const ALGORITHM = 'aes-256-gcm';
/** 96-bit IVs are GCM's native size (NIST SP 800-38D); a fresh random one per value. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isEncryptedCredential(value: unknown): value is EncryptedCredential {
  return EncryptedCredential.safeParse(value).success;
}

export function encryptCredential(plaintext: string, keyring: Keyring): EncryptedCredential {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyring.current.key, iv, { authTagLength: TAG_BYTES });
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    v: 1,
    kid: keyring.current.kid,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/**
 * Decrypts and authenticates a value. A missing key, a wrong key, or any altered byte fails with
 * AppError `internal`: the message names the key id only, never key material or plaintext.
 */
export function decryptCredential(value: unknown, keyring: Keyring): string {
  const parsed = EncryptedCredential.safeParse(value);
  if (!parsed.success) throw new AppError('internal', 'Stored credential is not an encrypted value (v1)');
  const { kid, iv, tag, data } = parsed.data;
  const key = keyring.keys.get(kid);
  if (!key) {
    throw new AppError(
      'internal',
      `Stored credential was encrypted with data key ${kid}, which is not available`,
    );
  }
  const ivBytes = Buffer.from(iv, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new AppError('internal', 'Stored credential is malformed (IV or tag length)');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError(
      'internal',
      `Stored credential failed authentication under data key ${kid} (wrong key or altered value)`,
    );
  }
}
