import { LinkPolicy } from '../../shared/domain/index.ts';
import type { StateStore } from '../../shared/ports/index.ts';
import { COLLECTIONS, ConflictRecord, Link } from '../../shared/records/index.ts';

/**
 * Object mothers for a link with many open conflicts, written straight into the state store as the
 * sync engine would have left them (the link's repository does not exist, so a sync queued for it
 * fails fast and writes nothing).
 */
const T0 = Date.parse('2026-01-01T00:00:00Z');

export function aSeededLink(id: string, tenant = 'default', overrides: Partial<Link> = {}): Link {
  return Link.parse({
    id,
    tenant,
    repo: `file:///nonexistent/${id}.git`,
    branch: 'main',
    design: `file:///nonexistent/${id}.json`,
    policy: LinkPolicy.parse({}),
    status: 'conflict',
    positions: {},
    openConflicts: 0,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    ...overrides,
  });
}

/** The n-th service of a large architecture, valid for the service schema. */
export function nthService(n: number) {
  return {
    id: `svc-${String(n).padStart(4, '0')}`,
    name: `Service ${n}`,
    version: '1.0.0',
    status: 'active',
    technologies: ['TypeScript'],
    path: `services/svc-${n}`,
  };
}

/** A service the design removed and the definitions kept (design: null), waiting for review. */
export function aRemovalConflict(linkId: string, n: number, tenant = 'default'): ConflictRecord {
  const service = nthService(n);
  return ConflictRecord.parse({
    id: `${linkId}_removal${String(n).padStart(5, '0')}`,
    linkId,
    tenant,
    operationId: 'op_seeded',
    state: 'open',
    serviceId: service.id,
    field: null,
    kind: 'removal',
    base: service,
    design: null,
    definitions: service,
    resolution: 'kept',
    // One second apart: newest first means the highest n first.
    createdAt: new Date(T0 + n * 1000).toISOString(),
  });
}

/** Both sides changed the name of service n differently. */
export function aFieldConflict(linkId: string, n: number, tenant = 'default'): ConflictRecord {
  const service = nthService(n);
  return ConflictRecord.parse({
    id: `${linkId}_field${String(n).padStart(5, '0')}`,
    linkId,
    tenant,
    operationId: 'op_seeded',
    state: 'open',
    serviceId: service.id,
    field: 'name',
    kind: 'field',
    base: service.name,
    design: `${service.name} (design)`,
    definitions: `${service.name} (repo)`,
    resolution: 'open',
    createdAt: new Date(T0 + n * 1000).toISOString(),
  });
}

/** Writes the link and `removals` removal conflicts plus `fields` field conflicts. */
export async function seedConflicts(
  state: StateStore,
  linkId: string,
  counts: { removals: number; fields?: number },
  tenant = 'default',
): Promise<Link> {
  const total = counts.removals + (counts.fields ?? 0);
  const link = aSeededLink(linkId, tenant, { openConflicts: total });
  await state.set(COLLECTIONS.links, link.id, link);
  await state.runTransaction(async (tx) => {
    for (let n = 0; n < counts.removals; n++) {
      const c = aRemovalConflict(linkId, n, tenant);
      tx.set(COLLECTIONS.conflicts, c.id, c);
    }
    for (let n = 0; n < (counts.fields ?? 0); n++) {
      const c = aFieldConflict(linkId, counts.removals + n, tenant);
      tx.set(COLLECTIONS.conflicts, c.id, c);
    }
  });
  return link;
}
