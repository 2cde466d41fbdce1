import type { AppContext } from '../../shared/app/index.ts';
import { LinkPolicy, ServiceDefinition } from '../../shared/domain/index.ts';
import { COLLECTIONS, ConflictRecord, Link, Operation } from '../../shared/links/index.ts';

/**
 * Builders for what the sync engine would have written for one link: the link, its base snapshot
 * (the spec's example architecture), two operations, a drift report and one open conflict. Each
 * document is parsed with its schema so the dashboard is tested against realistic shapes.
 */
export const LINK_ID = 'lnk_5e1f0c9a7b3d4e21';
export const CONFLICT_ID = 'cfl_7d20b4e9c1a84f3b';
const T0 = Date.parse('2030-03-04T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export function architectureServices(): ServiceDefinition[] {
  const services = [
    {
      id: 'identity-security',
      name: 'Identity & Security',
      layer: 'Identity & Security',
      version: '1.0.0',
      status: 'active',
      technologies: ['REST', 'OAuth 2.0'],
      path: 'services/auth',
      dependencies: [],
    },
    {
      id: 'application-core',
      name: 'Application Core',
      layer: 'Application Core',
      version: '2.0.0',
      status: 'active',
      technologies: ['FastAPI', 'REST', 'Python'],
      path: 'services/core',
      dependencies: ['identity-security', 'persistence'],
    },
    {
      id: 'persistence',
      name: 'Persistence',
      layer: 'Persistence',
      version: '1.5.0',
      status: 'active',
      technologies: ['MongoDB', 'PyMongo', 'SQLite'],
      path: 'services/persistence',
      dependencies: [],
    },
    {
      id: 'finance-sync',
      name: 'Finance Sync',
      layer: 'Finance Sync',
      version: '1.2.0',
      status: 'active',
      technologies: ['Python', 'FastAPI', 'Celery'],
      path: 'services/finance-sync/app',
      dependencies: ['application-core', 'persistence'],
      documentationUrl: 'docs/finance-sync.md',
    },
  ];
  return services.map((s) => ServiceDefinition.parse(s));
}

/** The edges the graph must draw: dependent → dependency. */
export function dependencyEdges(services = architectureServices()): Array<[string, string]> {
  return services.flatMap((s) => (s.dependencies ?? []).map((d): [string, string] => [s.id, d]));
}

function designExport(services: ServiceDefinition[]) {
  return {
    source: 'AI Studio Visualizer',
    export_format: 'architecture_definition.json',
    components: services.map((s) => ({
      service_id: s.id,
      name: s.name,
      ai_studio_component: s.layer,
      version: s.version,
      status: s.status,
      technologies: s.technologies,
      github_path: s.path,
      dependencies: s.dependencies,
    })),
  };
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
    drift: { 'version-mismatch': 1, 'designed-but-not-implemented': 1 },
    openConflicts: 1,
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
    serviceId: 'application-core',
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

export function driftReport() {
  return {
    linkId: LINK_ID,
    computedAt: at(31),
    findings: [
      {
        kind: 'version-mismatch',
        serviceId: 'persistence',
        detail: 'design says 1.5.0, services/persistence says 1.6.0',
      },
      {
        kind: 'designed-but-not-implemented',
        serviceId: 'finance-sync',
        detail: 'services/finance-sync/app has no code yet',
      },
    ],
  };
}

/** Writes the link and everything the dashboard shows for it straight into the state store. */
export async function seedDashboardLink(ctx: Pick<AppContext, 'state'>, dataDir: string): Promise<Link> {
  const link = aLink(dataDir);
  const services = architectureServices();
  await ctx.state.set(COLLECTIONS.links, link.id, link);
  await ctx.state.set(COLLECTIONS.bases, link.id, {
    linkId: link.id,
    services,
    designExport: designExport(services),
  });
  for (const op of operations()) await ctx.state.set(COLLECTIONS.operations, op.id, op);
  const conflict = openConflict();
  await ctx.state.set(COLLECTIONS.conflicts, conflict.id, conflict);
  await ctx.state.set(COLLECTIONS.drift, link.id, driftReport());
  return link;
}
