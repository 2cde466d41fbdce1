import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ADMIN_TENANT, RESERVED_TENANT_RULE } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from '../records/index.ts';

/** Stored form of an API key: only a hash of its secret part is kept. */
export interface ApiKeyDoc {
  id: string;
  tenant: string;
  tier: string;
  name: string;
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

export interface Caller {
  tenant: string;
  keyId: string;
  tier: string;
  admin: boolean;
}

/** Tenant names: lowercase letters, digits and dashes, up to 63 characters (fits ids and labels). */
export const TENANT_FORMAT = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const TENANT_RULE = 'lowercase letters, digits and dashes, up to 63 characters';

const KEY_FORMAT = /^brk_([a-z0-9]{12})_([A-Za-z0-9_-]{32,})$/;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of two hex digests (hashing first makes lengths equal). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Creates a key for `tenant`; the full key is returned once and never stored. */
export async function createApiKey(
  state: StateStore,
  input: { tenant: string; tier?: string; name?: string; now: Date },
): Promise<{ key: string; doc: ApiKeyDoc }> {
  const rule = !TENANT_FORMAT.test(input.tenant)
    ? TENANT_RULE
    : input.tenant === ADMIN_TENANT
      ? RESERVED_TENANT_RULE
      : undefined;
  if (rule) {
    throw new AppError('validation_failed', `tenant: ${rule}`, {
      details: { fields: [{ field: 'tenant', message: rule }] },
    });
  }
  const id = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const doc: ApiKeyDoc = {
    id,
    tenant: input.tenant,
    tier: input.tier ?? 'standard',
    name: input.name ?? '',
    hash: hashSecret(secret),
    createdAt: input.now.toISOString(),
  };
  await state.create(COLLECTIONS.apiKeys, id, { ...doc });
  return { key: `brk_${id}_${secret}`, doc };
}

export async function revokeApiKey(state: StateStore, id: string, now: Date): Promise<boolean> {
  const doc = await state.get<ApiKeyDoc>(COLLECTIONS.apiKeys, id);
  if (!doc) return false;
  await state.set(COLLECTIONS.apiKeys, id, { ...doc.data, revokedAt: now.toISOString() });
  return true;
}

export async function listApiKeys(
  state: StateStore,
  tenant?: string,
): Promise<Array<Omit<ApiKeyDoc, 'hash'>>> {
  const docs = await state.query<ApiKeyDoc>(
    COLLECTIONS.apiKeys,
    tenant ? { where: [['tenant', '==', tenant]] } : {},
  );
  return docs.map(({ data: { hash: _hash, ...rest } }) => rest);
}

/** The caller for a presented API key, or undefined when it is unknown, wrong or revoked. */
export async function verifyApiKey(state: StateStore, presented: string): Promise<Caller | undefined> {
  const m = KEY_FORMAT.exec(presented);
  if (!m) return undefined;
  const [, id, secret] = m as unknown as [string, string, string];
  const doc = await state.get<ApiKeyDoc>(COLLECTIONS.apiKeys, id);
  if (!doc || doc.data.revokedAt) return undefined;
  // A record naming the admin tenant (made before the name was reserved) must not act as the admin's.
  if (doc.data.tenant === ADMIN_TENANT) return undefined;
  if (!sameHash(hashSecret(secret), doc.data.hash)) return undefined;
  return { tenant: doc.data.tenant, keyId: id, tier: doc.data.tier, admin: false };
}
