import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../shared/ports/index.ts';

export type OpenSecretStore = () => Promise<{ store: SecretStore; cleanup: () => Promise<void> }>;

const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nline+two/==\n-----END PRIVATE KEY-----\n';

/**
 * The SecretStore contract (Secret Manager's model). Each case uses its own secret names, so the
 * suite can run against a shared server. The store starts without those secrets.
 */
export function describeSecretStoreContract(name: string, open: OpenSecretStore): void {
  describe(`SecretStore contract: ${name}`, () => {
    let current: { store: SecretStore; cleanup: () => Promise<void> } | undefined;
    let prefix = '';
    const store = () => current!.store;
    const secret = (label = 'secret') => `${prefix}-${label}`;
    beforeEach(async () => {
      current = await open();
      prefix = `contract-${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    it('knows nothing of a secret that was never added', async () => {
      expect(await store().accessLatest(secret())).toBeUndefined();
      expect(await store().access(secret(), '1')).toBeUndefined();
      expect(await store().listVersions(secret())).toEqual([]);
      expect(await store().accessEnabled(secret())).toEqual([]);
    });

    it.each([
      ['plain', 's3cr3t'],
      ['multi-line PEM', PEM],
      ['unicode and separators', 'pässwörd,with;commas "and" quotes ✓'],
      ['long', 'x'.repeat(20_000)],
    ])('stores a %s value exactly', async (_label, value) => {
      const version = await store().addVersion(secret(), value);
      expect(await store().accessLatest(secret())).toEqual({ version, value });
      expect(await store().access(secret(), version)).toEqual({ version, value });
    });

    it('numbers versions upwards and lists them newest first', async () => {
      const v1 = await store().addVersion(secret(), 'one');
      const v2 = await store().addVersion(secret(), 'two');
      const v3 = await store().addVersion(secret(), 'three');
      for (const v of [v1, v2, v3]) expect(v).toMatch(/^\d+$/);
      expect(Number(v2)).toBeGreaterThan(Number(v1));
      expect(Number(v3)).toBeGreaterThan(Number(v2));
      const versions = await store().listVersions(secret());
      expect(versions.map((v) => [v.version, v.state])).toEqual([
        [v3, 'enabled'],
        [v2, 'enabled'],
        [v1, 'enabled'],
      ]);
      for (const v of versions) expect(Number.isNaN(Date.parse(v.createTime))).toBe(false);
      expect(await store().accessLatest(secret())).toEqual({ version: v3, value: 'three' });
      expect(await store().access(secret(), v1)).toEqual({ version: v1, value: 'one' });
    });

    it('rotates: old and new are both accepted until the old one is disabled', async () => {
      const old = await store().addVersion(secret(), 'old-secret');
      const fresh = await store().addVersion(secret(), 'new-secret');
      expect(await store().accessEnabled(secret())).toEqual([
        { version: fresh, value: 'new-secret' },
        { version: old, value: 'old-secret' },
      ]);
      await store().disableVersion(secret(), old);
      expect(await store().accessEnabled(secret())).toEqual([{ version: fresh, value: 'new-secret' }]);
      expect(await store().access(secret(), old)).toBeUndefined();
      expect((await store().listVersions(secret())).map((v) => [v.version, v.state])).toEqual([
        [fresh, 'enabled'],
        [old, 'disabled'],
      ]);
    });

    it('falls back to the newest enabled version when the latest is disabled', async () => {
      const v1 = await store().addVersion(secret(), 'one');
      const v2 = await store().addVersion(secret(), 'two');
      await store().disableVersion(secret(), v2);
      expect(await store().accessLatest(secret())).toEqual({ version: v1, value: 'one' });
      await store().disableVersion(secret(), v1);
      expect(await store().accessLatest(secret())).toBeUndefined();
      expect(await store().accessEnabled(secret())).toEqual([]);
    });

    it('keeps secrets apart by name', async () => {
      await store().addVersion(secret('a'), 'value-a');
      await store().addVersion(secret('b'), 'value-b');
      expect((await store().accessLatest(secret('a')))?.value).toBe('value-a');
      expect((await store().accessLatest(secret('b')))?.value).toBe('value-b');
    });

    it('adds concurrent versions without losing one', async () => {
      const versions = await Promise.all(['a', 'b', 'c', 'd'].map((v) => store().addVersion(secret(), v)));
      expect(new Set(versions).size).toBe(4);
      const values = (await store().accessEnabled(secret())).map((v) => v.value).sort();
      expect(values).toEqual(['a', 'b', 'c', 'd']);
    });

    it('fails with not_found when disabling a version that does not exist', async () => {
      await store().addVersion(secret(), 'one');
      await expect(store().disableVersion(secret(), '999')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
