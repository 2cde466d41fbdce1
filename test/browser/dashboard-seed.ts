import type { AppContext } from '../../shared/context/index.ts';
import {
  DRIFT_KINDS,
  exampleDesignExport,
  exampleServices,
  LinkPolicy,
  ServiceDefinition,
} from '../../shared/domain/index.ts';
import { COLLECTIONS, ConflictRecord, Link, Operation } from '../../shared/records/index.ts';

/**
 * Builders for what the sync engine would have written for one link: the link, its base snapshot
 * (the spec's example architecture), two operations, a drift report and one open conflict. Each
 * document is parsed with its schema so the dashboard is tested against realistic shapes.
 */
export const LINK_ID = 'lnk_5e1f0c9a7b3d4e21';
export const CONFLICT_ID = 'cfl_7d20b4e9c1a84f3b';
// An hour ago, on the minute: history sorts by time, so seeded runs must precede the ones the test queues.
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** The spec's example architecture (spec 000), as the domain defines it. */
export function architectureServices(): ServiceDefinition[] {
  return exampleServices().map((svc) => ServiceDefinition.parse(svc));
}

/** The edges the graph must draw: dependent → dependency. */
export function dependencyEdges(services = architectureServices()): Array<[string, string]> {
  return services.flatMap((svc) => (svc.dependencies ?? []).map((dep): [string, string] => [svc.id, dep]));
}

export function aLink(dataDir: string, overrides: Partial<Link> = {}): Link {
  return Link.parse({
    id: LINK_ID,
    tenant: 'default',
    repo: `file://${dataDir}/repos/business-hub.git`,
    branch: 'main',
    design: `file://${dataDir}/designs/architecture.json`,
    policy: LinkPolicy.parse({}),
    status: 'conflict',
    positions: { headSha: '9c1e4b7a2f0d3c5e8a6b1d4f7e2c9a0b3d5f8e1c', designRevision: '14' },
    lastSync: { operationId: 'op_seed00000000000002', at: at(31), result: 'conflict' },
    drift: driftReport().summary,
    openConflicts: 1,
    // A proposal someone closed without merging (the local git provider's pull request form).
    declinedProposal: {
      changes: 'seeded-declined-changes',
      number: 3,
      url: `file://${dataDir}/repos/business-hub.git#pull/3/bridge/${LINK_ID}`,
      at: at(20),
    },
    // The account the link acts with needs reconnecting (the link page says so, with the reason).
    access: {
      state: 'reconnect_needed',
      reason: 'GitHub refused to refresh its token (bad_refresh_token): connect again',
      since: at(30),
    },
    createdAt: at(0),
    updatedAt: at(31),
    ...overrides,
  });
}

export function anOperation(overrides: Partial<Operation> & Pick<Operation, 'id'>): Operation {
  return Operation.parse({
    linkId: LINK_ID,
    tenant: 'default',
    trigger: 'link-created',
    direction: 'both',
    status: 'succeeded',
    outcome: 'synced',
    queuedAt: at(1),
    ...overrides,
  });
}

export function operations(): Operation[] {
  const changes = (definitions: Partial<Record<'added' | 'updated' | 'removed', string[]>>, design = {}) => ({
    definitions: { added: [], updated: [], removed: [], ...definitions },
    design: { added: [], updated: [], removed: [], ...design },
  });
  return [
    anOperation({
      id: 'op_seed00000000000001',
      trigger: 'link-created',
      outcome: 'synced',
      changes: changes({ added: architectureServices().map((s) => s.id) }),
      apiCalls: { github: 4, drive: 2 },
      commitSha: '9c1e4b7a2f0d3c5e8a6b1d4f7e2c9a0b3d5f8e1c',
      // Model text is text: the markup in it must show as characters, never as an element.
      summary: {
        text: 'Adds four services <img src=x onerror="document.title=1">, the first version of each.',
        source: 'model',
        reason: 'generated',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        fingerprint: 'f'.repeat(32),
      },
      designRevision: '12',
      progress: [
        { step: 'read both sides', at: at(1) },
        { step: 'merged', at: at(1) },
        { step: 'wrote definitions', at: at(1) },
      ],
      queuedAt: at(1),
      startedAt: at(1),
      finishedAt: at(1.02),
      durationMs: 1_240,
    }),
    anOperation({
      id: 'op_seed00000000000002',
      trigger: 'github-push',
      outcome: 'conflict',
      conflicts: 1,
      changes: changes({}, { updated: ['persistence'] }),
      apiCalls: { github: 3, drive: 3 },
      designRevision: '14',
      queuedAt: at(30),
      startedAt: at(30),
      finishedAt: at(31),
      durationMs: 2_870,
    }),
  ];
}

export function openConflict(overrides: Partial<ConflictRecord> = {}): ConflictRecord {
  return ConflictRecord.parse({
    id: CONFLICT_ID,
    linkId: LINK_ID,
    tenant: 'default',
    operationId: 'op_seed00000000000002',
    state: 'open',
    serviceId: 'core',
    field: 'technologies',
    kind: 'field',
    base: ['FastAPI', 'REST', 'Python'],
    design: ['FastAPI', 'REST', 'Python', 'Celery'],
    definitions: ['FastAPI', 'GraphQL', 'Python'],
    resolution: 'open',
    createdAt: at(31),
    ...overrides,
  });
}

/** Drift as the engine reports it (shared/domain/drift.ts): kinds, messages, the versions seen. */
export function driftReport() {
  const findings = [
    {
      kind: 'version-mismatch',
      serviceId: 'persistence',
      path: 'services/persistence',
      message: 'persistence: versions differ (design 1.5.0, definitions 1.5.0, implementation 1.6.0)',
      versions: { design: '1.5.0', definitions: '1.5.0', implementation: '1.6.0' },
    },
    {
      kind: 'designed-not-implemented',
      serviceId: 'finance-sync',
      message: 'Finance Sync (finance-sync) has no implementation in services/finance-sync/',
    },
    {
      kind: 'implemented-not-designed',
      path: 'services/reporting',
      message: 'services/reporting/ (requirements.txt) is not in the architecture',
    },
  ];
  const summary = Object.fromEntries(
    DRIFT_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length]),
  );
  return { linkId: LINK_ID, findings, summary, implemented: [], computedAt: at(31) };
}

/** Writes the link and everything the dashboard shows for it straight into the state store. */
export async function seedDashboardLink(ctx: Pick<AppContext, 'state'>, dataDir: string): Promise<Link> {
  const link = aLink(dataDir);
  const services = architectureServices();
  await ctx.state.set(COLLECTIONS.links, link.id, link);
  await ctx.state.set(COLLECTIONS.bases, link.id, {
    linkId: link.id,
    services,
    designExport: exampleDesignExport(),
  });
  for (const op of operations()) await ctx.state.set(COLLECTIONS.operations, op.id, op);
  const conflict = openConflict();
  await ctx.state.set(COLLECTIONS.conflicts, conflict.id, conflict);
  await ctx.state.set(COLLECTIONS.drift, link.id, driftReport());
  return link;
}

/** A second link, created after the first, with `count` open removals (the design dropped them). */
export const BULK_LINK_ID = 'lnk_600c0nf11c7s0001';

export function removalConflict(n: number): ConflictRecord {
  const service = {
    id: `svc-${String(n).padStart(4, '0')}`,
    name: `Service ${n}`,
    version: '1.0.0',
    status: 'active',
    path: `services/svc-${n}`,
  };
  return ConflictRecord.parse({
    id: `${BULK_LINK_ID}_removal${String(n).padStart(5, '0')}`,
    linkId: BULK_LINK_ID,
    tenant: 'default',
    operationId: 'op_seed00000000000600',
    state: 'open',
    serviceId: service.id,
    field: null,
    kind: 'removal',
    base: service,
    design: null,
    definitions: service,
    resolution: 'kept',
    // A second apart, so "newest first" is a known order: the highest n first.
    createdAt: new Date(T0 + 40 * 60_000 + n * 1000).toISOString(),
  });
}

export async function seedManyConflicts(
  ctx: Pick<AppContext, 'state'>,
  dataDir: string,
  count = 600,
): Promise<Link> {
  const link = aLink(dataDir, {
    id: BULK_LINK_ID,
    repo: `file://${dataDir}/repos/large.git`,
    design: `file://${dataDir}/designs/large.json`,
    declinedProposal: undefined,
    openConflicts: count,
    createdAt: at(2),
  });
  await ctx.state.set(COLLECTIONS.links, link.id, link);
  await ctx.state.runTransaction(async (tx) => {
    for (let n = 0; n < count; n++) {
      const conflict = removalConflict(n);
      tx.set(COLLECTIONS.conflicts, conflict.id, conflict);
    }
  });
  return link;
}
