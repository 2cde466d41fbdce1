import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import { COLLECTIONS, type ConflictRecord, type Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, readFileAt } from '../support/local-git.ts';
import { createLocalLink, designOf, services } from '../sync/support.ts';
import { seedConflicts } from './conflict-seed.ts';
import { expectError, tenantKey } from './support.ts';

interface ConflictPage {
  items: ConflictRecord[];
  nextPageToken?: string;
  total: number;
}

interface BulkResult {
  take: string;
  kind?: string;
  matched: number;
  settled: number;
  failed: number;
  errors: Array<{ conflictId: string; code: string; message: string }>;
  remaining: number;
  operationId?: string;
}

describe('conflict listing totals and bulk resolution', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const operationsOf = async (linkId: string) =>
    (await bridge.ctx.state.query<Operation>(COLLECTIONS.operations, { where: [['linkId', '==', linkId]] }))
      .length;

  describe('600 open conflicts on one link', () => {
    const LINK = 'lnk_bulk600000000001';
    beforeAll(async () => {
      await seedConflicts(bridge.ctx.state, LINK, { removals: 600, fields: 30 });
    });

    it('the listing says how many match in all (total), newest first, every conflict once over the pages', async () => {
      const first = await bridge.api<ConflictPage>(
        'GET',
        `/api/v1/links/${LINK}/conflicts?state=open&pageSize=100`,
      );
      expect(first.status).toBe(200);
      expect(first.body.total).toBe(630);
      expect(first.body.items).toHaveLength(100);
      const seen: ConflictRecord[] = [...first.body.items];
      let token = first.body.nextPageToken;
      while (token) {
        const page = await bridge.api<ConflictPage>(
          'GET',
          `/api/v1/links/${LINK}/conflicts?state=open&pageSize=100&pageToken=${encodeURIComponent(token)}`,
        );
        expect(page.body.total).toBe(630);
        seen.push(...page.body.items);
        token = page.body.nextPageToken;
      }
      expect(new Set(seen.map((c) => c.id)).size).toBe(630);
      const times = seen.map((c) => c.createdAt);
      expect(times).toEqual([...times].sort().reverse());

      const removals = await bridge.api<ConflictPage>(
        'GET',
        `/api/v1/links/${LINK}/conflicts?state=open&kind=removal&pageSize=1`,
      );
      expect(removals.body).toMatchObject({
        total: 600,
        items: [expect.objectContaining({ kind: 'removal' })],
      });
      const all = await bridge.api<ConflictPage>('GET', `/api/v1/links/${LINK}/conflicts?pageSize=1`);
      expect(all.body.total).toBe(630);
      const byOperation = await bridge.api<ConflictPage>(
        'GET',
        `/api/v1/links/${LINK}/conflicts?operationId=op_seeded&state=open&pageSize=1`,
      );
      expect(byOperation.body.total).toBe(630);
      const other = await bridge.api<ConflictPage>(
        'GET',
        `/api/v1/links/${LINK}/conflicts?operationId=op_other`,
      );
      expect(other.body).toMatchObject({ total: 0, items: [] });
      expectError(
        await bridge.api('GET', `/api/v1/links/${LINK}/conflicts?kind=mystery`),
        400,
        'validation_failed',
      );
    });

    it('settles every open removal at once (take definitions keeps them), answers with counts and queues one sync', async () => {
      const before = await operationsOf(LINK);
      const res = await bridge.api<BulkResult>('POST', `/api/v1/links/${LINK}/conflicts/resolve`, {
        take: 'definitions',
        kind: 'removal',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        take: 'definitions',
        kind: 'removal',
        matched: 600,
        settled: 600,
        failed: 0,
        errors: [],
        remaining: 0,
        operationId: expect.stringMatching(/^op_/),
      });
      expect(await operationsOf(LINK)).toBe(before + 1);
      const op = await bridge.api<Operation>('GET', `/api/v1/operations/${res.body.operationId}`);
      expect(op.body).toMatchObject({ linkId: LINK, trigger: 'conflict-resolution' });

      const open = await bridge.api<ConflictPage>(
        'GET',
        `/api/v1/links/${LINK}/conflicts?state=open&pageSize=100`,
      );
      expect(open.body.total).toBe(30);
      expect(open.body.items.every((c) => c.kind === 'field')).toBe(true);
      const settled = await bridge.api<ConflictPage>(
        'GET',
        `/api/v1/links/${LINK}/conflicts?state=settled&kind=removal&pageSize=2`,
      );
      expect(settled.body.total).toBe(600);
      for (const c of settled.body.items) {
        expect(c).toMatchObject({ state: 'settled', resolution: 'definitions', value: c.definitions });
      }
      await bridge.idle();
    });

    it('with nothing left to settle it queues no sync', async () => {
      const before = await operationsOf(LINK);
      const res = await bridge.api<BulkResult>('POST', `/api/v1/links/${LINK}/conflicts/resolve`, {
        take: 'design',
        kind: 'removal',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ matched: 0, settled: 0, remaining: 0 });
      expect(res.body.operationId).toBeUndefined();
      expect(await operationsOf(LINK)).toBe(before);
    });

    it('without a kind it settles every open conflict', async () => {
      const res = await bridge.api<BulkResult>('POST', `/api/v1/links/${LINK}/conflicts/resolve`, {
        take: 'design',
      });
      expect(res.body).toMatchObject({ matched: 30, settled: 30, remaining: 0 });
      expect(res.body.kind).toBeUndefined();
      const open = await bridge.api<ConflictPage>('GET', `/api/v1/links/${LINK}/conflicts?state=open`);
      expect(open.body).toMatchObject({ total: 0, items: [] });
      await bridge.idle();
    });
  });

  it('refuses a bad body, "value" (one value cannot fit every conflict) and another tenant’s link', async () => {
    const LINK = 'lnk_bulkrefuse000001';
    await seedConflicts(bridge.ctx.state, LINK, { removals: 2 });
    const path = `/api/v1/links/${LINK}/conflicts/resolve`;
    expectError(await bridge.api('POST', path, {}), 400, 'validation_failed');
    expectError(await bridge.api('POST', path, { take: 'value', value: null }), 400, 'validation_failed');
    expectError(
      await bridge.api('POST', path, { take: 'design', kind: 'everything' }),
      400,
      'validation_failed',
    );
    expectError(await bridge.api('POST', path, { take: 'design', extra: 1 }), 400, 'validation_failed');
    const other = await tenantKey(bridge, 'bulk-other');
    expectError(await bridge.api('POST', path, { take: 'design' }, other.key), 404, 'not_found');
    const open = await bridge.api<ConflictPage>('GET', `/api/v1/links/${LINK}/conflicts?state=open`);
    expect(open.body.total).toBe(2);
  });

  it('removals on a real link: take design deletes what the design removed and restores what the definitions removed', async () => {
    const link = await createLocalLink(bridge, { policy: { writes: 'direct', onConflict: 'manual' } });
    // The design drops auth; the definitions drop finance-sync; both rename core differently.
    const design = designOf(services().filter((s) => s.id !== 'auth'));
    const core = design.components.find((c) => c.service_id === 'core');
    if (!core) throw new Error('no core');
    core.name = 'Core (design)';
    await writeFile(link.designFile, `${JSON.stringify(design, null, 2)}\n`);
    const corePath = definitionPath('core');
    const coreText = (await readFileAt(link.repoDir, 'main', corePath)) ?? '';
    await commitFiles(link.repoDir, 'main', {
      [definitionPath('finance-sync')]: null,
      [corePath]: coreText.replace(/^name: .*$/m, 'name: Core (repo)'),
    });
    await link.sync();
    const open = await bridge.api<ConflictPage>('GET', `/api/v1/links/${link.id}/conflicts?state=open`);
    expect(open.body.items.map((c) => [c.serviceId, c.kind]).sort()).toEqual([
      ['auth', 'removal'],
      ['core', 'field'],
      ['finance-sync', 'removal'],
    ]);

    const res = await bridge.api<BulkResult>('POST', `/api/v1/links/${link.id}/conflicts/resolve`, {
      take: 'design',
      kind: 'removal',
    });
    expect(res.body).toMatchObject({ matched: 2, settled: 2, remaining: 0 });
    await bridge.idle();
    const op = await bridge.api<Operation>('GET', `/api/v1/operations/${res.body.operationId}`);
    expect(op.body.status, JSON.stringify(op.body)).toBe('succeeded');
    expect(await readFileAt(link.repoDir, 'main', definitionPath('auth'))).toBeUndefined();
    expect(await readFileAt(link.repoDir, 'main', definitionPath('finance-sync'))).toContain('Finance Sync');
    const after = JSON.parse(await readFile(link.designFile, 'utf8')) as ReturnType<typeof designOf>;
    expect(after.components.map((c) => c.service_id).sort()).toEqual(['core', 'finance-sync', 'persistence']);
    const left = await bridge.api<ConflictPage>('GET', `/api/v1/links/${link.id}/conflicts?state=open`);
    expect(left.body.items.map((c) => c.serviceId)).toEqual(['core']);
  });
});
