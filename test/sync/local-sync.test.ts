import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionPath, parseDefinitionFile } from '../../shared/domain/index.ts';
import type { ConflictRecord, Link } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, gitLog, readFileAt } from '../support/local-git.ts';
import { component, createLocalLink, designOf, services } from './support.ts';

async function definition(repoDir: string, ref: string, id: string) {
  const text = await readFileAt(repoDir, ref, definitionPath(id));
  if (text === undefined) return undefined;
  const parsed = parseDefinitionFile(definitionPath(id), text);
  if (!parsed.ok) throw new Error(`unreadable definition ${id}`);
  return parsed.service;
}

describe('sync on a local git repository and a local design file', () => {
  let bridge: TestBridge;
  beforeEach(async () => {
    bridge = await startTestBridge();
  });
  afterEach(async () => {
    await bridge.close();
  });

  it('first sync of identical sides writes nothing and records the base', async () => {
    const link = await createLocalLink(bridge);
    const commits = await gitLog(link.repoDir, 'main');
    expect(commits).toHaveLength(1);
    const state = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(state.status).toBe('synced');
    expect(state.positions.headSha).toBe(commits[0]?.sha);
    const again = await link.sync();
    expect(again).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
  });

  it('design adds, edits and removes services: one commit on the branch, nothing else touched', async () => {
    const link = await createLocalLink(bridge, {
      policy: { writes: 'direct', onRemoval: 'propagate' },
      extraFiles: { 'architecture/notes.md': 'unmanaged\n' },
    });
    const design = await link.readDesign();
    component(design, 'core').version = '2.2.0';
    design.components = design.components.filter((c) => c.service_id !== 'persistence');
    design.components.push({
      service_id: 'billing',
      name: 'Billing',
      version: '0.1.0',
      status: 'active',
      technologies: ['Go'],
    });
    await link.writeDesign(design);

    const op = await link.sync();
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(op.changes?.definitions).toEqual({
      added: ['billing'],
      updated: ['core'],
      removed: ['persistence'],
    });
    const commits = await gitLog(link.repoDir, 'main');
    expect(commits).toHaveLength(2);
    expect(commits[0]?.subject).toMatch(/^Architecture sync:/);
    expect((await definition(link.repoDir, 'main', 'core'))?.version).toBe('2.2.0');
    expect(await definition(link.repoDir, 'main', 'persistence')).toBeUndefined();
    expect((await definition(link.repoDir, 'main', 'billing'))?.name).toBe('Billing');
    expect(await readFileAt(link.repoDir, 'main', 'architecture/notes.md')).toBe('unmanaged\n');
  });

  it('definitions change: the design file is updated and its unknown fields survive', async () => {
    const design = designOf(services());
    (design as Record<string, unknown>).canvas = { zoom: 2 };
    component(design, 'auth').ai_studio_component = 'Identity & Security';
    const link = await createLocalLink(bridge, { design });
    const auth = await definition(link.repoDir, 'main', 'auth');
    await commitFiles(link.repoDir, 'main', {
      [definitionPath('auth')]: (await readFileAt(link.repoDir, 'main', definitionPath('auth')))!.replace(
        `version: ${auth?.version}`,
        'version: 1.1.0',
      ),
    });

    const op = await link.sync();
    expect(op.changes?.design.updated).toEqual(['auth']);
    const after = await link.readDesign();
    expect(component(after, 'auth').version).toBe('1.1.0');
    expect((after as Record<string, unknown>).canvas).toEqual({ zoom: 2 });
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(2); // only the hand edit
  });

  it('both sides change different fields: merged both ways', async () => {
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    component(design, 'core').technologies = ['FastAPI', 'REST', 'Python', 'Celery'];
    await link.writeDesign(design);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path))!;
    await commitFiles(link.repoDir, 'main', { [path]: text.replace(/status: active/, 'status: deprecated') });

    await link.sync();
    const core = await definition(link.repoDir, 'main', 'core');
    expect(core?.status).toBe('deprecated');
    expect(core?.technologies).toContain('Celery');
    const after = component(await link.readDesign(), 'core');
    expect(after.status).toBe('deprecated');
    expect(after.technologies).toContain('Celery');
  });

  it('same field changed on both sides: design wins by default and the conflict is recorded', async () => {
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (design)';
    await link.writeDesign(design);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path))!;
    await commitFiles(link.repoDir, 'main', {
      [path]: text.replace('name: Application Core', 'name: Core (repo)'),
    });

    const op = await link.sync();
    expect(op.conflicts).toBe(1);
    expect((await definition(link.repoDir, 'main', 'core'))?.name).toBe('Core (design)');
    const conflicts = (
      await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts`)
    ).body.items;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      serviceId: 'core',
      field: 'name',
      base: 'Application Core',
      design: 'Core (design)',
      definitions: 'Core (repo)',
      resolution: 'design',
      state: 'settled',
    });
  });

  it('manual policy keeps both values, and resolving through the API writes the choice to both sides', async () => {
    const link = await createLocalLink(bridge, { policy: { writes: 'direct', onConflict: 'manual' } });
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (design)';
    await link.writeDesign(design);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path))!;
    await commitFiles(link.repoDir, 'main', {
      [path]: text.replace('name: Application Core', 'name: Core (repo)'),
    });

    await link.sync();
    const open = (
      await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts?state=open`)
    ).body.items;
    expect(open).toHaveLength(1);
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.status).toBe('conflict');
    expect((await definition(link.repoDir, 'main', 'core'))?.name).toBe('Core (repo)');
    expect(component(await link.readDesign(), 'core').name).toBe('Core (design)');

    const resolved = await bridge.api('POST', `/api/v1/links/${link.id}/conflicts/${open[0]?.id}/resolve`, {
      take: 'definitions',
    });
    expect(resolved.status).toBe(200);
    await bridge.idle();
    expect(component(await link.readDesign(), 'core').name).toBe('Core (repo)');
    const linkAfter = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(linkAfter).toMatchObject({ status: 'synced', openConflicts: 0 });
    const again = await bridge.api('POST', `/api/v1/links/${link.id}/conflicts/${open[0]?.id}/resolve`, {
      take: 'design',
    });
    expect(again.status).toBe(409);

    // The very same disagreement coming back later is a new decision to make, not an old settled one.
    const setRepoName = async (name: string) => {
      const current = (await readFileAt(link.repoDir, 'main', path))!;
      await commitFiles(link.repoDir, 'main', { [path]: current.replace(/name: .*/, `name: ${name}`) });
    };
    await setRepoName('Core (interim)');
    await link.sync();
    const design2 = await link.readDesign();
    component(design2, 'core').name = 'Core (design)';
    await link.writeDesign(design2);
    await setRepoName('Core (repo)');
    await link.sync();
    const reopened = (
      await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts?state=open`)
    ).body.items;
    expect(reopened).toEqual([
      expect.objectContaining({ id: open[0]?.id, design: 'Core (design)', definitions: 'Core (repo)' }),
    ]);
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body).toMatchObject({
      status: 'conflict',
      openConflicts: 1,
    });
  });

  it('metadata merges key by key: a conflict on one key, resolved through the API, leaves the other key merged', async () => {
    const link = await createLocalLink(bridge, { policy: { writes: 'direct', onConflict: 'manual' } });
    const design = await link.readDesign();
    component(design, 'core').metadata = { owner: 'core-team', tier: 1 };
    await link.writeDesign(design);
    await link.sync();
    expect((await definition(link.repoDir, 'main', 'core'))?.metadata).toEqual({
      owner: 'core-team',
      tier: 1,
    });

    const edited = await link.readDesign();
    component(edited, 'core').metadata = { owner: 'design-team', tier: 1 };
    await link.writeDesign(edited);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path))!;
    await commitFiles(link.repoDir, 'main', {
      [path]: text.replace('owner: core-team', 'owner: repo-team').replace('tier: 1', 'tier: 2'),
    });
    await link.sync();

    const open = (
      await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts?state=open`)
    ).body.items;
    expect(open).toEqual([
      expect.objectContaining({ field: 'metadata.owner', design: 'design-team', definitions: 'repo-team' }),
    ]);
    // The key nobody disagrees on went both ways already.
    expect(component(await link.readDesign(), 'core').metadata).toEqual({ owner: 'design-team', tier: 2 });

    const resolved = await bridge.api('POST', `/api/v1/links/${link.id}/conflicts/${open[0]?.id}/resolve`, {
      take: 'design',
    });
    expect(resolved.status).toBe(200);
    await bridge.idle();
    expect((await definition(link.repoDir, 'main', 'core'))?.metadata).toEqual({
      owner: 'design-team',
      tier: 2,
    });
    expect(component(await link.readDesign(), 'core').metadata).toEqual({ owner: 'design-team', tier: 2 });
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body).toMatchObject({
      status: 'synced',
      openConflicts: 0,
    });
  });

  it('pull-request policy writes to bridge/<link> and keeps proposing until merged', async () => {
    const link = await createLocalLink(bridge, { policy: { writes: 'pull-request' } });
    const design = await link.readDesign();
    component(design, 'persistence').version = '1.6.0';
    await link.writeDesign(design);

    const op = await link.sync();
    expect(op.pullRequest).toMatch(/#pull\/\d+\/bridge\//);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(1);
    const branch = `bridge/${link.id}`;
    expect((await definition(link.repoDir, branch, 'persistence'))?.version).toBe('1.6.0');
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.status).toBe('out_of_sync');

    // A reconcile with nothing new proposes nothing new: no second commit on the PR branch.
    await link.sync();
    expect(await gitLog(link.repoDir, branch)).toHaveLength(2);
  });

  it('a service removed from the design waits for review with neither side changed, and a review issue (default removal policy)', async () => {
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    design.components = design.components.filter((c) => c.service_id !== 'auth');
    await link.writeDesign(design);
    const op = await link.sync();
    expect(op.changes?.definitions.removed).toEqual([]);
    expect(op.changes?.design.added).toEqual([]);
    expect(await definition(link.repoDir, 'main', 'auth')).toBeDefined();
    // Not written back into the design either: the removal may well be deliberate.
    expect((await link.readDesign()).components.map((c) => c.service_id)).not.toContain('auth');
    const open = (
      await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts?state=open`)
    ).body.items;
    expect(open).toEqual([expect.objectContaining({ serviceId: 'auth', kind: 'removal', field: null })]);
    expect(open[0]?.issueUrl).toMatch(/#issue\/1$/);
    // The next reconcile finds the same removal and does not open a second issue.
    await commitFiles(link.repoDir, 'main', { 'README.md': 'touch\n' });
    await link.sync();
    const { createLocalGitRepoProvider } = await import('../../shared/providers/index.ts');
    expect(await createLocalGitRepoProvider({ path: link.repoDir }).issues()).toHaveLength(1);
    // Taking the design's side deletes the service everywhere.
    const resolved = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${link.id}/conflicts/${open[0]?.id}/resolve`,
      { take: 'design' },
    );
    await bridge.idle();
    expect((await bridge.api('GET', `/api/v1/operations/${resolved.body.operationId}`)).body).toMatchObject({
      status: 'succeeded',
    });
    expect(await definition(link.repoDir, 'main', 'auth')).toBeUndefined();
    const after = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(after).toMatchObject({ openConflicts: 0, status: 'synced' });
    expect(after.reviewIssue).toBeUndefined();
    const [issue] = await createLocalGitRepoProvider({ path: link.repoDir }).issues();
    expect(issue).toMatchObject({
      state: 'closed',
      comments: [expect.objectContaining({ body: expect.stringMatching(/nothing is left to review/) })],
    });
  });

  it('report-only mode shows the plan and drift but writes nothing', async () => {
    const link = await createLocalLink(bridge, { policy: { mode: 'report-only' } });
    const design = await link.readDesign();
    component(design, 'core').version = '3.0.0';
    await link.writeDesign(design);
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'report-only' });
    expect(op.changes?.definitions.updated).toEqual(['core']);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(1);
    const drift = (await bridge.api<{ findings: unknown[] }>('GET', `/api/v1/links/${link.id}/drift`)).body;
    expect(Array.isArray(drift.findings)).toBe(true);
  });

  it('an emptied design never wipes the definitions', async () => {
    const link = await createLocalLink(bridge);
    await link.writeDesign({ source: 'x', export_format: 'y', components: [] });
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(op.error?.code).toBe('guard_blocked');
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(1);
    for (const s of services()) expect(await definition(link.repoDir, 'main', s.id)).toBeDefined();
  });

  it('an unreadable design is reported and nothing is written', async () => {
    const link = await createLocalLink(bridge);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(link.designFile, '{"components": [ truncated');
    const op = await link.sync();
    expect(op.status).toBe('failed');
    expect(op.error?.message).toMatch(/not valid JSON/);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(1);
  });

  it('raw drop zone files are split into definitions and removed in the same commit', async () => {
    const link = await createLocalLink(bridge);
    await commitFiles(link.repoDir, 'main', {
      'architecture/raw/new.json': JSON.stringify([
        { id: 'search', name: 'Search', version: '0.1.0', technologies: ['Elasticsearch'] },
        { id: 'mail', name: 'Mail', version: '0.2.0' },
      ]),
      'architecture/raw/broken.yaml': 'id: [not, valid\n',
    });
    const op = await link.sync();
    expect(op.status).toBe('succeeded');
    const head = (await gitLog(link.repoDir, 'main'))[0];
    expect(head?.subject).toMatch(/raw file/);
    expect(await readFileAt(link.repoDir, 'main', 'architecture/raw/new.json')).toBeUndefined();
    expect(await readFileAt(link.repoDir, 'main', 'architecture/raw/broken.yaml')).toBeDefined();
    expect((await definition(link.repoDir, 'main', 'search'))?.name).toBe('Search');
    const names = (await link.readDesign()).components.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['Search', 'Mail']));
  });

  it('a request delivered twice has one effect', async () => {
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    component(design, 'core').version = '2.5.0';
    await link.writeDesign(design);
    const { TOPICS } = await import('../../shared/ports/index.ts');
    const queued = await bridge.api<{ operationId: string }>('POST', `/api/v1/links/${link.id}/sync`, {});
    const request = {
      linkId: link.id,
      operationId: queued.body.operationId,
      trigger: 'api',
      direction: 'both',
      dryRun: false,
    };
    await bridge.ctx.publisher.publish(TOPICS.syncRequests, request, { orderingKey: link.id });
    await bridge.ctx.publisher.publish(
      TOPICS.syncRequests,
      { ...request, operationId: undefined },
      { orderingKey: link.id },
    );
    await bridge.idle();
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(2);
  });
});
