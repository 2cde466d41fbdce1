import { afterEach, describe, expect, it } from 'vitest';
import {
  decryptCredential,
  type EncryptedCredential,
  encryptCredential,
  loadKeyring,
  reencryptAll,
} from '../../shared/crypto/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { type Harness, startHarness } from '../scheduler/support/scheduler-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('loadKeyring', () => {
  it('creates the first data key in local mode and reuses it afterwards', async () => {
    h = await startHarness();
    expect(await h.ctx.secrets.accessEnabled(SECRETS.dataKey)).toHaveLength(0);
    await expect(loadKeyring(h.ctx.secrets)).rejects.toThrow(/No data key/);
    const first = await loadKeyring(h.ctx.secrets, { createIfMissing: true });
    const again = await loadKeyring(h.ctx.secrets, { createIfMissing: true });
    expect(again.current.kid).toBe(first.current.kid);
    expect(again.current.key.equals(first.current.key)).toBe(true);
    expect(await h.ctx.secrets.listVersions(SECRETS.dataKey)).toHaveLength(1);
  });
});

describe('reencryptAll', () => {
  it('re-encrypts values whose key is not the newest, keeps the rest of each document', async () => {
    h = await startHarness();
    const { ctx } = h;
    const v1 = await loadKeyring(ctx.secrets, { createIfMissing: true });
    const values: Record<string, string> = {};
    for (let i = 0; i < 5; i += 1) {
      values[`cred-${i}`] = `token-${i}`;
      await ctx.state.set('credentials', `cred-${i}`, {
        owner: `user-${i}`,
        nested: { refresh: encryptCredential(`refresh-${i}`, v1) },
        secret: encryptCredential(`token-${i}`, v1),
      });
    }
    await ctx.state.set('credentials', 'plain', { owner: 'nobody', secret: 'not encrypted' });

    await ctx.secrets.addVersion(SECRETS.dataKey, Buffer.alloc(32, 7).toString('base64'));
    const v2 = await loadKeyring(ctx.secrets);
    expect(v2.current.kid).not.toBe(v1.current.kid);

    const result = await reencryptAll(ctx, 'credentials', 'secret');
    expect(result).toMatchObject({ checked: 5, reencrypted: 5, failed: 0 });
    for (const [id, plaintext] of Object.entries(values)) {
      const doc = await ctx.state.get<{ owner: string; secret: EncryptedCredential }>('credentials', id);
      expect(doc?.data.secret.kid).toBe(v2.current.kid);
      expect(decryptCredential(doc?.data.secret, v2)).toBe(plaintext);
      expect(doc?.data.owner).toBe(id.replace('cred', 'user'));
    }
    expect((await ctx.state.get('credentials', 'plain'))?.data).toEqual({
      owner: 'nobody',
      secret: 'not encrypted',
    });

    // Idempotent: everything is current now.
    expect(await reencryptAll(ctx, 'credentials', 'secret')).toMatchObject({ checked: 5, reencrypted: 0 });
    // A dotted path reaches nested values.
    expect(await reencryptAll(ctx, 'credentials', 'nested.refresh', v2)).toMatchObject({ reencrypted: 5 });
    const nested = await ctx.state.get<{ nested: { refresh: EncryptedCredential } }>('credentials', 'cred-3');
    expect(decryptCredential(nested?.data.nested.refresh, v2)).toBe('refresh-3');
  });

  it('counts values whose key is gone as failed and leaves them untouched', async () => {
    h = await startHarness();
    const { ctx } = h;
    const v1 = await loadKeyring(ctx.secrets, { createIfMissing: true });
    const sealed = encryptCredential('orphan', v1);
    await ctx.state.set('credentials', 'orphan', { secret: sealed });
    await ctx.secrets.addVersion(SECRETS.dataKey, Buffer.alloc(32, 9).toString('base64'));
    await ctx.secrets.disableVersion(SECRETS.dataKey, v1.current.kid);

    const result = await reencryptAll(ctx, 'credentials', 'secret');
    expect(result).toMatchObject({ checked: 1, reencrypted: 0, failed: 1 });
    expect((await ctx.state.get('credentials', 'orphan'))?.data).toEqual({ secret: sealed });
  });
});
