import { z } from 'zod';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';

/**
 * An admin's temporary AI quota override for one tenant (id = tenant): its daily requests until
 * `expiresAt`, with who granted it, when and why (the audit). Removed by TTL after it expires; the
 * quota ignores it from `expiresAt` on.
 */
export const AiQuotaOverride = z.object({
  tenant: z.string(),
  dailyRequests: z.number().int().min(1).max(1_000_000),
  expiresAt: z.string(),
  reason: z.string(),
  grantedBy: z.string(),
  grantedAt: z.string(),
});
export type AiQuotaOverride = z.infer<typeof AiQuotaOverride>;

export async function putAiQuotaOverride(state: StateStore, override: AiQuotaOverride): Promise<void> {
  await state.set(COLLECTIONS.aiQuotaOverrides, override.tenant, override, {
    expireAt: new Date(override.expiresAt),
  });
}

export async function deleteAiQuotaOverride(state: StateStore, tenant: string): Promise<boolean> {
  return state.delete(COLLECTIONS.aiQuotaOverrides, tenant);
}

/** Every override not yet expired at `now`. */
export async function listAiQuotaOverrides(state: StateStore, now: Date): Promise<AiQuotaOverride[]> {
  const docs = await state.query(COLLECTIONS.aiQuotaOverrides, { limit: 1000 });
  return docs.flatMap((d) => {
    const parsed = AiQuotaOverride.safeParse(d.data);
    return parsed.success && Date.parse(parsed.data.expiresAt) > now.getTime() ? [parsed.data] : [];
  });
}

/** The daily requests an override gives, when one is in force at `now`. */
export function overrideInForce(data: unknown, now: Date): number | undefined {
  const parsed = AiQuotaOverride.safeParse(data);
  if (!parsed.success || Date.parse(parsed.data.expiresAt) <= now.getTime()) return undefined;
  return parsed.data.dailyRequests;
}
