import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../shared/domain/index.ts';
import { createLocalGitRepoProvider } from '../../shared/providers/index.ts';
import type { ConflictRecord, Link } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { gitLog } from '../support/local-git.ts';
import { createLocalLink, designOf, type LocalLink } from './support.ts';

const COUNT = 200;

function manyServices(n: number): ServiceDefinition[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `svc-${String(i).padStart(3, '0')}`,
    name: `Service ${i}`,
    version: '1.0.0',
    status: 'active' as const,
    technologies: ['Go'],
    path: 'docs',
    dependencies: [],
  }));
}

describe('removals at scale (onRemoval: manual)', () => {
  let bridge: TestBridge;
  let link: LocalLink;
  const all = manyServices(COUNT);

  beforeEach(async () => {
    bridge = await startTestBridge();
    link = await createLocalLink(bridge, { defs: all, design: designOf(all) });
  });
  afterEach(async () => {
    await bridge.close();
  });

  const linkState = async () => (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
  const open = async () =>
    (
      await bridge.api<{ items: ConflictRecord[] }>(
        'GET',
        `/api/v1/links/${link.id}/conflicts?state=open&pageSize=100`,
      )
    ).body.items;
  const issues = () => createLocalGitRepoProvider({ path: link.repoDir }).issues();
  const keepInDesign = (keep: (id: string) => boolean) =>
    link.writeDesign(designOf(all.filter((s) => keep(s.id))));
  const checklist = (body: string) => body.split('\n').filter((l) => l.startsWith('- [ ] '));

  it('an export that drops most services is held as suspect: nothing written, one message', async () => {
    await keepInDesign((id) => Number(id.slice(4)) < 50); // 150 of 200 gone
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'failed', outcome: 'blocked', error: { code: 'guard_blocked' } });
    expect(op.error?.message).toMatch(/dropped 150 of the 200 services \(75%, limit 50%\).*suspect export/);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(1);
    expect(await issues()).toEqual([]);
    expect(await open()).toEqual([]);
    expect((await link.readDesign()).components).toHaveLength(50);
    const state = await linkState();
    expect(state.status).toBe('error');
    expect(state.lastSync?.error).toMatch(/suspect export/);
  });

  it('removals wait for review on neither side, in one issue that follows them and closes when none remain', async () => {
    await keepInDesign((id) => Number(id.slice(4)) >= 10); // 10 removed from the design
    const first = await link.sync();
    expect(first).toMatchObject({ status: 'succeeded' });
    expect(first.changes?.definitions.removed).toEqual([]);
    expect(first.changes?.design.added).toEqual([]);
    expect(await gitLog(link.repoDir, 'main')).toHaveLength(1); // nothing deleted in the repository
    expect((await link.readDesign()).components).toHaveLength(COUNT - 10); // nothing re-added
    expect(await open()).toHaveLength(10);
    let [issue, ...more] = await issues();
    expect(more).toEqual([]);
    expect(checklist(issue!.body)).toHaveLength(10);
    expect(issue!.title).toMatch(/10 service removals awaiting review/);
    expect(await linkState()).toMatchObject({ status: 'conflict', reviewIssue: { number: issue!.number } });

    // Five more go: the same issue is updated, not repeated.
    await keepInDesign((id) => Number(id.slice(4)) >= 15);
    await link.sync();
    [issue, ...more] = await issues();
    expect(more).toEqual([]);
    expect(checklist(issue!.body)).toHaveLength(15);
    expect(await open()).toHaveLength(15);

    // Decisions: delete three, keep the rest.
    const conflicts = await open();
    for (const c of conflicts) {
      const take = ['svc-000', 'svc-001', 'svc-002'].includes(c.serviceId) ? 'design' : 'definitions';
      const answer = await bridge.api('POST', `/api/v1/links/${link.id}/conflicts/${c.id}/resolve`, { take });
      expect(answer.status).toBe(200);
    }
    await bridge.idle();
    const ids = (await link.readDesign()).components.map((c) => c.service_id);
    expect(ids).toHaveLength(COUNT - 3);
    expect(ids).not.toContain('svc-000');
    expect(ids).toContain('svc-014');
    const defs = await createLocalGitRepoProvider({ path: link.repoDir }).readSnapshot('main');
    expect(defs.architectureFiles.filter((f) => f.path.startsWith('architecture/definitions/'))).toHaveLength(
      COUNT - 3,
    );
    expect(await open()).toEqual([]);
    [issue, ...more] = await issues();
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ state: 'closed' });
    expect(issue!.comments).toHaveLength(1);
    const state = await linkState();
    expect(state).toMatchObject({ status: 'synced', openConflicts: 0 });
    expect(state.reviewIssue).toBeUndefined();
  });

  it('a person may remove most services at once: settled in bulk, the deletion guard does not hold the decision', async () => {
    // The operator expects a big removal: the export may drop up to 80 % for review.
    expect(
      (await bridge.api('PATCH', `/api/v1/links/${link.id}`, { policy: { maxDeletePercent: 80 } })).status,
    ).toBe(200);
    await keepInDesign((id) => Number(id.slice(4)) < 50);
    expect(await link.sync()).toMatchObject({ status: 'succeeded' });
    expect(
      (await bridge.api<{ total: number }>('GET', `/api/v1/links/${link.id}/conflicts?state=open`)).body
        .total,
    ).toBe(150);
    const [issue] = await issues();
    expect(checklist(issue!.body)).toHaveLength(150);
    // Back to the default limit, then one decision for all 150.
    await bridge.api('PATCH', `/api/v1/links/${link.id}`, { policy: { maxDeletePercent: 50 } });
    const bulk = await bridge.api<{ settled: number; operationId: string }>(
      'POST',
      `/api/v1/links/${link.id}/conflicts/resolve`,
      { take: 'design', kind: 'removal' },
    );
    expect(bulk.body.settled).toBe(150);
    await bridge.idle();
    const op = (
      await bridge.api<{ status: string; changes: { definitions: { removed: string[] } } }>(
        'GET',
        `/api/v1/operations/${bulk.body.operationId}`,
      )
    ).body;
    expect(op.status).toBe('succeeded');
    expect(op.changes.definitions.removed).toHaveLength(150);
    expect(await open()).toEqual([]);
    expect((await issues())[0]).toMatchObject({ state: 'closed' });
    expect(await linkState()).toMatchObject({ status: 'synced', openConflicts: 0 });
  });
});
