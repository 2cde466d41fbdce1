import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../shared/adapters/local/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

const rejection = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
};

describe('encrypted secret file', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());

  it('generates its key once into secrets.key with mode 0600 and reads its secrets back after a restart', async () => {
    const first = await FileSecretStore.open({ dataDir: dir.path });
    await first.addVersion('token', 'value-1');
    const keyFile = join(dir.path, 'secrets.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64')).toHaveLength(32);

    const second = await FileSecretStore.open({ dataDir: dir.path });
    expect(await second.accessLatest('token')).toEqual({ version: '1', value: 'value-1' });
  });

  it('uses the given key and creates no key file', async () => {
    const secretsKey = randomBytes(32).toString('base64');
    await (await FileSecretStore.open({ dataDir: dir.path, secretsKey })).addVersion('token', 'v');
    expect(await readdir(dir.path)).toEqual(['secrets.enc']);
    const reopened = await FileSecretStore.open({ dataDir: dir.path, secretsKey });
    expect((await reopened.accessLatest('token'))?.value).toBe('v');
  });

  it('keeps values out of the file in clear, with a new IV on every write and no temp files left', async () => {
    const store = await FileSecretStore.open({ dataDir: dir.path });
    await store.addVersion('token', 'very-recognisable-secret');
    const firstFile = await readFile(join(dir.path, 'secrets.enc'), 'utf8');
    await store.addVersion('other', 'x');
    const secondFile = await readFile(join(dir.path, 'secrets.enc'), 'utf8');

    expect(firstFile).not.toContain('very-recognisable-secret');
    expect(secondFile).not.toContain('very-recognisable-secret');
    const ivOf = (text: string) => (JSON.parse(text) as { iv: string }).iv;
    expect(Buffer.from(ivOf(firstFile), 'base64')).toHaveLength(12);
    expect(ivOf(secondFile)).not.toBe(ivOf(firstFile));
    expect((await readdir(dir.path)).sort()).toEqual(['secrets.enc', 'secrets.key']);
  });

  it('fails loudly on the wrong key, without any key material in the error', async () => {
    const right = randomBytes(32).toString('base64');
    const wrong = randomBytes(32).toString('base64');
    await (await FileSecretStore.open({ dataDir: dir.path, secretsKey: right })).addVersion('token', 'v');
    const err = await rejection(FileSecretStore.open({ dataDir: dir.path, secretsKey: wrong }));
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(/Cannot decrypt .*secrets\.enc.*another key/);
    for (const key of [right, wrong]) expect(err.message).not.toContain(key);
  });

  it('refuses a tampered file (the authentication tag is checked)', async () => {
    const store = await FileSecretStore.open({ dataDir: dir.path });
    await store.addVersion('token', 'v');
    const path = join(dir.path, 'secrets.enc');
    const envelope = JSON.parse(await readFile(path, 'utf8')) as { ciphertext: string };
    const bytes = Buffer.from(envelope.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    await writeFile(path, JSON.stringify({ ...envelope, ciphertext: bytes.toString('base64') }));
    expect((await rejection(store.accessLatest('token'))).code).toBe('config_invalid');
  });

  it.each([
    ['too short', Buffer.alloc(16, 7).toString('base64')],
    ['not base64', 'this is not a base64 key at all, clearly!!'],
  ])('rejects a secretsKey that is %s, without echoing it', async (_label, secretsKey) => {
    const err = await rejection(FileSecretStore.open({ dataDir: dir.path, secretsKey }));
    expect(err.code).toBe('config_invalid');
    expect(err.message).toContain('BRIDGE_SECRETS_KEY');
    expect(err.message).not.toContain(secretsKey);
  });
});
