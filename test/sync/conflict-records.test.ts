import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import { COLLECTIONS, type ConflictRecord } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, readFileAt } from '../support/local-git.ts';
import { component, createLocalLink, type LocalLink } from './support.ts';

describe('conflict records carry their link and fingerprint as fields', () => {
  let bridge: TestBridge;
  let link: LocalLink;
  beforeEach(async () => {
    bridge = await startTestBridge();
    link = await createLocalLink(bridge, { policy: { writes: 'direct', onConflict: 'manual' } });
  });
  afterEach(async () => {
    await bridge.close();
  });

  const openConflicts = async () =>
    (await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts?state=open`))
      .body.items;

  async function conflictOnCoreName() {
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (design)';
    await link.writeDesign(design);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path))!;
    await commitFiles(link.repoDir, 'main', {
      [path]: text.replace('name: Application Core', 'name: Core (repo)'),
    });
    await link.sync();
  }

  it('a new record stores its fingerprint and link id', async () => {
    await conflictOnCoreName();
    const [record] = await openConflicts();
    expect(record).toMatchObject({ linkId: link.id, fingerprint: expect.stringMatching(/^[0-9a-f]{24}$/) });
    expect(record?.id).toBe(`${link.id}_${record?.fingerprint}`);
  });

  it('a record stored before the field existed is still recognised (superseded when the sides agree)', async () => {
    await conflictOnCoreName();
    const [record] = await openConflicts();
    // As an older version wrote it: no fingerprint field.
    const { fingerprint: _dropped, ...old } = record!;
    await bridge.ctx.state.set(COLLECTIONS.conflicts, record!.id, old);
    // The same disagreement, found again, is the same record (no duplicate opened).
    await commitFiles(link.repoDir, 'main', { 'README.md': 'touch\n' });
    await link.sync();
    expect((await openConflicts()).map((c) => c.id)).toEqual([record!.id]);
    // Someone makes the sides agree: the old record is settled as superseded.
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (repo)';
    await link.writeDesign(design);
    await link.sync();
    expect(await openConflicts()).toEqual([]);
    const stored = await bridge.ctx.state.get<ConflictRecord>(COLLECTIONS.conflicts, record!.id);
    expect(stored?.data).toMatchObject({ state: 'settled', resolution: 'superseded' });
  });

  it('a stored decision that would make the service invalid is reopened with the reason, and the link syncs on', async () => {
    await conflictOnCoreName();
    const [record] = await openConflicts();
    // Written before decisions were validated (or by hand): a name that is not a string.
    await bridge.ctx.state.set(COLLECTIONS.conflicts, record!.id, {
      ...record!,
      state: 'settled',
      resolution: 'value',
      value: { __proto__: { polluted: true } },
      applied: false,
    });
    const op = await link.sync();
    expect(op.status).toBe('succeeded');
    const [reopened] = await openConflicts();
    expect(reopened).toMatchObject({
      id: record!.id,
      state: 'open',
      refusedDecision: { reason: expect.stringMatching(/invalid value/) },
    });
    expect(reopened).not.toHaveProperty('value');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Not stuck: the next sync succeeds too, and the conflict can be decided properly.
    expect((await link.sync()).status).toBe('succeeded');
    const answer = await bridge.api('POST', `/api/v1/links/${link.id}/conflicts/${record!.id}/resolve`, {
      take: 'design',
    });
    expect(answer.status).toBe(200);
    await bridge.idle();
    expect(await openConflicts()).toEqual([]);
  });
});
