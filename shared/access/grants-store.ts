import type { AppContext } from '../context/index.ts';
import type { GrantKind } from '../domain/index.ts';
import { COLLECTIONS } from '../records/index.ts';
import type { GrantEvent, TenantGrants } from './grant-model.ts';

/** The record of changes kept per tenant (a document stays small however often grants change). */
export const HISTORY_LIMIT = 100;

type Ctx = Pick<AppContext, 'state' | 'now'>;

const empty = (tenant: string): TenantGrants => ({ tenant, grants: [], history: [] });

export async function readGrants(ctx: Pick<AppContext, 'state'>, tenant: string): Promise<TenantGrants> {
  const doc = await ctx.state.get<TenantGrants>(COLLECTIONS.grants, tenant);
  return doc ? { ...empty(tenant), ...doc.data } : empty(tenant);
}

/** Every tenant's grants, by tenant name. */
export async function listGrants(ctx: Pick<AppContext, 'state'>): Promise<TenantGrants[]> {
  const out: TenantGrants[] = [];
  let after: string | undefined;
  for (;;) {
    const docs = await ctx.state.query<TenantGrants>(COLLECTIONS.grants, {
      orderBy: { field: 'tenant' },
      limit: 200,
      ...(after ? { startAfterId: after, startAfterValue: after } : {}),
    });
    out.push(...docs.map((d) => ({ ...empty(d.id), ...d.data })));
    if (docs.length < 200) return out;
    after = docs.at(-1)?.id;
  }
}

/**
 * Adds or removes one grant in a transaction (two admins granting at once both land) and records
 * who did it when. `changed` is false when there was nothing to do (already granted / not granted).
 */
export async function changeGrant(
  ctx: Ctx,
  input: { tenant: string; kind: GrantKind; value: string; by: string; action: GrantEvent['action'] },
): Promise<{ changed: boolean; grants: TenantGrants }> {
  return ctx.state.runTransaction(async (tx) => {
    const doc = await tx.get<TenantGrants>(COLLECTIONS.grants, input.tenant);
    const current = doc ? { ...empty(input.tenant), ...doc.data } : empty(input.tenant);
    const same = (g: { kind: string; value: string }) => g.kind === input.kind && g.value === input.value;
    const present = current.grants.some(same);
    if (present === (input.action === 'granted')) return { changed: false, grants: current };
    const at = ctx.now().toISOString();
    const grants =
      input.action === 'granted'
        ? [...current.grants, { kind: input.kind, value: input.value, grantedBy: input.by, grantedAt: at }]
        : current.grants.filter((g) => !same(g));
    const event: GrantEvent = {
      action: input.action,
      kind: input.kind,
      value: input.value,
      by: input.by,
      at,
    };
    const next: TenantGrants = {
      tenant: input.tenant,
      grants,
      history: [...current.history, event].slice(-HISTORY_LIMIT),
      updatedAt: at,
    };
    tx.set(COLLECTIONS.grants, input.tenant, { ...next });
    return { changed: true, grants: next };
  });
}

/** The values of one kind granted to a tenant. */
export function grantedValues(grants: TenantGrants, kind: GrantKind): string[] {
  return grants.grants.filter((g) => g.kind === kind).map((g) => g.value);
}
