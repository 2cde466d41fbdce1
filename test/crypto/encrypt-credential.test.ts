import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptCredential,
  type EncryptedCredential,
  encryptCredential,
  isEncryptedCredential,
  type Keyring,
  keyringFromVersions,
} from '../../shared/crypto/index.ts';
import { AppError } from '../../shared/errors/index.ts';

const keyValue = () => randomBytes(32).toString('base64');
/** Versions newest first, as the secret store's accessEnabled returns them. */
const keyring = (...versions: Array<[string, string]>): Keyring =>
  keyringFromVersions(versions.map(([version, value]) => ({ version, value })));

const flipFirstByte = (b64: string) => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};

function expectDecryptFailure(value: unknown, ring: Keyring, keys: string[]) {
  let caught: unknown;
  try {
    decryptCredential(value, ring);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  const message = (caught as AppError).message;
  for (const key of keys) {
    expect(message).not.toContain(key);
    expect(message).not.toContain(Buffer.from(key, 'base64').toString('hex'));
  }
  return caught as AppError;
}

describe('encryptCredential / decryptCredential', () => {
  const k1 = keyValue();
  const ring = keyring(['1', k1]);

  it.each([
    ['an OAuth token', 'gho_16C7e42F292c6912E7710c838347Ae178B4a'],
    ['an empty string', ''],
    ['unicode and newlines', 'refresh\n\u00e9\u{1F511}\u0000end'],
    ['a long value', 'x'.repeat(100_000)],
  ])('round-trips %s', (_name, plaintext) => {
    const sealed = encryptCredential(plaintext, ring);
    expect(sealed).toMatchObject({ v: 1, kid: '1' });
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    expect(isEncryptedCredential(sealed)).toBe(true);
    if (plaintext.length > 4) expect(JSON.stringify(sealed)).not.toContain(plaintext.slice(0, 8));
    expect(decryptCredential(sealed, ring)).toBe(plaintext);
  });

  it('uses a fresh random IV for every value', () => {
    const ivs = new Set(Array.from({ length: 50 }, () => encryptCredential('same', ring).iv));
    expect(ivs.size).toBe(50);
  });

  it('encrypts under the newest key and still decrypts values under older ones', () => {
    const old = encryptCredential('secret', ring);
    const rotated = keyring(['2', keyValue()], ['1', k1]);
    const fresh = encryptCredential('secret', rotated);
    expect(fresh.kid).toBe('2');
    expect(decryptCredential(old, rotated)).toBe('secret');
    expect(decryptCredential(fresh, rotated)).toBe('secret');
  });

  it('fails loudly with a wrong key of the same id, without key material in the message', () => {
    const sealed = encryptCredential('secret', ring);
    const other = keyValue();
    const err = expectDecryptFailure(sealed, keyring(['1', other]), [k1, other]);
    expect(err.message).toMatch(/failed authentication under data key 1/);
  });

  it('fails when the key id is not in the keyring', () => {
    const sealed = encryptCredential('secret', ring);
    const other = keyValue();
    const err = expectDecryptFailure(sealed, keyring(['7', other]), [k1, other]);
    expect(err.message).toMatch(/data key 1, which is not available/);
  });

  const tampered: Array<[string, (s: EncryptedCredential) => unknown]> = [
    ['tag', (s) => ({ ...s, tag: flipFirstByte(s.tag) })],
    ['ciphertext', (s) => ({ ...s, data: flipFirstByte(s.data) })],
    ['IV', (s) => ({ ...s, iv: flipFirstByte(s.iv) })],
    ['truncated tag', (s) => ({ ...s, tag: Buffer.from(s.tag, 'base64').subarray(0, 8).toString('base64') })],
    ['missing field', ({ tag: _tag, ...rest }) => rest],
    ['other version', (s) => ({ ...s, v: 2 })],
    ['plain string', () => 'gho_plaintext'],
  ];
  it.each(tampered)('rejects a value with an altered %s', (_name, alter) => {
    const sealed = encryptCredential('secret value', ring);
    expectDecryptFailure(alter(sealed), ring, [k1]);
  });

  it('rejects data keys that are not 32 bytes, without echoing them', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => keyring(['1', short])).toThrow(/version 1 is not 32 bytes/);
    try {
      keyring(['1', short]);
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
    expect(() => keyringFromVersions([])).toThrow(AppError);
  });
});
