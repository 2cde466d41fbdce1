import { z } from 'zod';
import { HEALTH_CHECKS, HEALTH_STATUSES, type HealthChangeKind, healthChange } from '../domain/index.ts';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';
import { docId, docIdPart } from './doc-id.ts';

/** How long a change of status stays in the history. */
export const HEALTH_HISTORY_TTL_MS = 90 * 24 * 60 * 60 * 1000;

const Check = z.object({
  check: z.enum(HEALTH_CHECKS),
  status: z.enum(HEALTH_STATUSES),
  reason: z.string(),
});

/** A link's integration health as the last health job found it (id = link id). */
export const IntegrationHealth = z.object({
  linkId: z.string(),
  tenant: z.string(),
  status: z.enum(HEALTH_STATUSES),
  checks: z.array(Check),
  checkedAt: z.string(),
  /** Since when the link has had this status. */
  since: z.string(),
});
export type IntegrationHealth = z.infer<typeof IntegrationHealth>;

/** One change of a link's status (id = link id ~ time), kept HEALTH_HISTORY_TTL_MS. */
export const HealthChange = z.object({
  linkId: z.string(),
  tenant: z.string(),
  at: z.string(),
  change: z.enum(['degraded', 'unhealthy', 'recovered']),
  from: z.enum(HEALTH_STATUSES).nullable(),
  to: z.enum(HEALTH_STATUSES),
  /** The checks that were not healthy (for `recovered`: the ones that were failing before). */
  failing: z.array(Check),
});
export type HealthChange = z.infer<typeof HealthChange>;

/**
 * Records what a health check of one link found: the current document always, and, when the status
 * changed, a history entry — both in one transaction, so a change is recorded exactly once even when
 * two health jobs race. Returns the change, if there was one.
 */
export async function recordHealth(
  state: StateStore,
  found: Omit<IntegrationHealth, 'since'>,
): Promise<HealthChange | undefined> {
  return state.runTransaction(async (tx) => {
    const doc = await tx.get(COLLECTIONS.health, found.linkId);
    const previous = doc ? IntegrationHealth.safeParse(doc.data) : undefined;
    const before = previous?.success ? previous.data : undefined;
    const kind: HealthChangeKind | undefined = healthChange(before?.status, found.status);
    const since = before && before.status === found.status ? before.since : found.checkedAt;
    tx.set(COLLECTIONS.health, found.linkId, { ...found, since });
    if (!kind) return undefined;
    const failing =
      kind === 'recovered'
        ? (before?.checks ?? []).filter((c) => c.status !== 'healthy')
        : found.checks.filter((c) => c.status !== 'healthy');
    const change: HealthChange = {
      linkId: found.linkId,
      tenant: found.tenant,
      at: found.checkedAt,
      change: kind,
      from: before?.status ?? null,
      to: found.status,
      failing,
    };
    tx.set(COLLECTIONS.healthHistory, docId(docIdPart(found.linkId), docIdPart(found.checkedAt)), change, {
      expireAt: new Date(Date.parse(found.checkedAt) + HEALTH_HISTORY_TTL_MS),
    });
    return change;
  });
}

export async function currentHealth(
  state: StateStore,
  linkId: string,
): Promise<IntegrationHealth | undefined> {
  const doc = await state.get(COLLECTIONS.health, linkId);
  const parsed = doc ? IntegrationHealth.safeParse(doc.data) : undefined;
  return parsed?.success ? parsed.data : undefined;
}

/** The current health of every link of `tenant` (every link for undefined), at most `limit`. */
export async function healthOfLinks(
  state: StateStore,
  tenant: string | undefined,
  limit = 1000,
): Promise<IntegrationHealth[]> {
  const docs = await state.query(COLLECTIONS.health, {
    ...(tenant === undefined ? {} : { where: [['tenant', '==', tenant]] }),
    limit,
  });
  return docs.flatMap((d) => {
    const parsed = IntegrationHealth.safeParse(d.data);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A link's changes of status, newest first. */
export async function healthHistory(
  state: StateStore,
  linkId: string,
  limit: number,
): Promise<HealthChange[]> {
  const docs = await state.query(COLLECTIONS.healthHistory, {
    where: [['linkId', '==', linkId]],
    orderBy: { field: 'at', direction: 'desc' },
    limit,
  });
  return docs.flatMap((d) => {
    const parsed = HealthChange.safeParse(d.data);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Removes a deleted link's current health (its history expires by TTL). */
export async function forgetHealth(state: StateStore, linkId: string): Promise<void> {
  await state.delete(COLLECTIONS.health, linkId);
}
