import type { AppContext } from '../context/index.ts';
import { isAppError } from '../errors/index.ts';
import type { DocData } from '../ports/index.ts';
import { decryptCredential, EncryptedCredential, encryptCredential } from './encrypt-credential.ts';
import { type Keyring, loadKeyring } from './keyring.ts';

export interface ReencryptResult {
  collection: string;
  field: string;
  /** Documents holding an encrypted value at `field`. */
  checked: number;
  reencrypted: number;
  /** Values that could not be decrypted (their key is gone) or kept changing under us. */
  failed: number;
}

const PAGE = 200;

function getPath(data: DocData, path: string[]): unknown {
  let node: unknown = data;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setPath(data: DocData, path: string[], value: unknown): DocData {
  const [head, ...rest] = path;
  if (head === undefined) return data;
  const child = data[head];
  return {
    ...data,
    [head]:
      rest.length === 0
        ? value
        : setPath(typeof child === 'object' && child !== null ? (child as DocData) : {}, rest, value),
  };
}

/**
 * Re-encrypts every value at `field` (a dotted path) of `collection` whose key id is not the newest
 * data key (the keyring is loaded from the secret store when not given). Each document is replaced with a precondition on the version read, so a concurrent write
 * wins and the value is re-read (a few times) rather than overwritten with stale data.
 */
export async function reencryptAll(
  ctx: Pick<AppContext, 'state' | 'logger' | 'secrets' | 'config'>,
  collection: string,
  field: string,
  keyring?: Keyring,
): Promise<ReencryptResult> {
  const keys =
    keyring ?? (await loadKeyring(ctx.secrets, { createIfMissing: ctx.config.BRIDGE_BACKEND === 'local' }));
  const path = field.split('.');
  const result: ReencryptResult = { collection, field, checked: 0, reencrypted: 0, failed: 0 };
  let after: string | undefined;
  for (;;) {
    const docs = await ctx.state.query(collection, {
      limit: PAGE,
      ...(after ? { startAfterId: after } : {}),
    });
    for (const doc of docs) {
      if (!EncryptedCredential.safeParse(getPath(doc.data, path)).success) continue;
      result.checked += 1;
      const outcome = await reencryptOne(ctx, collection, doc.id, path, keys);
      if (outcome === 'reencrypted') result.reencrypted += 1;
      if (outcome === 'failed') result.failed += 1;
    }
    if (docs.length < PAGE) break;
    after = docs.at(-1)?.id;
  }
  if (result.failed > 0) {
    ctx.logger.warn('some credentials could not be re-encrypted', { ...result });
  }
  return result;
}

async function reencryptOne(
  ctx: Pick<AppContext, 'state' | 'logger'>,
  collection: string,
  id: string,
  path: string[],
  keyring: Keyring,
): Promise<'reencrypted' | 'current' | 'failed'> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const doc = await ctx.state.get(collection, id);
    if (!doc) return 'current';
    const parsed = EncryptedCredential.safeParse(getPath(doc.data, path));
    if (!parsed.success) return 'current';
    if (parsed.data.kid === keyring.current.kid) return 'current';
    let plaintext: string;
    try {
      plaintext = decryptCredential(parsed.data, keyring);
    } catch (err) {
      ctx.logger.warn('credential not re-encrypted', {
        collection,
        id,
        kid: parsed.data.kid,
        error: isAppError(err) ? err.message : 'decryption failed',
      });
      return 'failed';
    }
    try {
      const next = setPath(doc.data, path, encryptCredential(plaintext, keyring));
      await ctx.state.update(collection, id, next, {
        ifVersion: doc.version,
        ...(doc.expireAt ? { expireAt: new Date(doc.expireAt) } : {}),
      });
      return 'reencrypted';
    } catch (err) {
      if (isAppError(err) && (err.code === 'precondition_failed' || err.code === 'not_found')) continue;
      throw err;
    }
  }
  return 'failed';
}
