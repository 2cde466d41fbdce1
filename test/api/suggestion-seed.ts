import { LinkPolicy, type LinkPolicyInput } from '../../shared/domain/index.ts';
import type { StateStore } from '../../shared/ports/index.ts';
import { COLLECTIONS, ConflictRecord } from '../../shared/records/index.ts';
import { aSeededLink, nthService } from './conflict-seed.ts';

/**
 * Object mothers for the suggestion tests: a link (manual policy unless told) and open conflicts of
 * each kind, written as the sync engine leaves them.
 */
export function anOpenConflict(
  linkId: string,
  name: string,
  over: Partial<ConflictRecord> = {},
  tenant = 'default',
): ConflictRecord {
  return ConflictRecord.parse({
    id: `${linkId}_${name}`,
    linkId,
    tenant,
    operationId: 'op_seeded',
    state: 'open',
    serviceId: 'svc-0001',
    field: 'name',
    kind: 'field',
    base: 'Service 1',
    design: 'Service 1 (design)',
    definitions: 'Service 1 (repo)',
    resolution: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });
}

/** The conflicts of `suggestionCases`, one per kind the deterministic rules tell apart. */
export const SUGGESTION_CASES = {
  name: {},
  version: { field: 'version', kind: 'version', base: '1.0.0', design: '1.2.0', definitions: '2.0.0' },
  technologies: {
    field: 'technologies',
    base: ['TypeScript', 'Redis'],
    design: ['TypeScript', 'Postgres'],
    definitions: ['TypeScript', 'Redis', 'Kafka'],
  },
  removal: { field: null, kind: 'removal', base: nthService(1), design: null, definitions: nthService(1) },
  path: { field: 'path', base: 'services/svc-1', design: 'services/a', definitions: 'services/b' },
} satisfies Record<string, Partial<ConflictRecord>>;

export async function seedSuggestionLink(
  state: StateStore,
  linkId: string,
  tenant = 'default',
  policy: LinkPolicyInput = { onConflict: 'manual', versions: 'conflict' },
  conflicts: Record<string, Partial<ConflictRecord>> = SUGGESTION_CASES,
): Promise<Record<string, string>> {
  const link = aSeededLink(linkId, tenant, {
    policy: LinkPolicy.parse(policy),
    openConflicts: Object.keys(conflicts).length,
  });
  await state.set(COLLECTIONS.links, link.id, link);
  const ids: Record<string, string> = {};
  for (const [name, over] of Object.entries(conflicts)) {
    const c = anOpenConflict(linkId, name, over, tenant);
    await state.set(COLLECTIONS.conflicts, c.id, c);
    ids[name] = c.id;
  }
  return ids;
}
