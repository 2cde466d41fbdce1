import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriftReport } from '../../shared/domain/index.ts';
import { seedDemo } from '../../shared/edge/demo.ts';
import type { Link, Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles } from '../support/local-git.ts';
import { component, createLocalLink } from './support.ts';

interface DriftDoc extends Partial<DriftReport> {
  linkId: string;
}

describe('status you can trust', () => {
  let bridge: TestBridge;
  afterEach(async () => {
    await bridge.close();
  });

  const linkOf = async (id: string) => (await bridge.api<Link>('GET', `/api/v1/links/${id}`)).body;
  const driftOf = async (id: string) => (await bridge.api<DriftDoc>('GET', `/api/v1/links/${id}/drift`)).body;

  it('the demo’s first screen shows no finding the same sync already settled', async () => {
    bridge = await startTestBridge();
    await seedDemo(bridge.ctx);
    await bridge.idle();
    const links = (await bridge.api<{ items: Link[] }>('GET', '/api/v1/links')).body.items;
    expect(links).toHaveLength(1);
    const demo = links[0]!;
    // The first sync wrote core 2.1.0 (the higher version) into the design.
    const drift = await driftOf(demo.id);
    expect(drift.findings).toEqual([]);
    expect(Object.values(demo.drift ?? {}).every((n) => n === 0)).toBe(true);
    expect(demo.status).toBe('synced');
  });

  it('drift is computed from what each side holds after the sync', async () => {
    bridge = await startTestBridge();
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    component(design, 'core').version = '2.5.0';
    await link.writeDesign(design);
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    const drift = await driftOf(link.id);
    expect(drift.findings?.filter((f) => f.kind === 'version-mismatch')).toEqual([]);
    expect((await linkOf(link.id)).drift?.['version-mismatch']).toBe(0);
  });

  it('a push that only touches services/* recomputes drift', async () => {
    bridge = await startTestBridge();
    const link = await createLocalLink(bridge);
    expect((await driftOf(link.id)).findings).toEqual([]);
    await commitFiles(link.repoDir, 'main', { 'services/billing/package.json': '{"name":"billing"}\n' });
    const op = await link.sync();
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
    const drift = await driftOf(link.id);
    expect(drift.findings).toEqual([expect.objectContaining({ kind: 'implemented-not-designed' })]);
    expect((await linkOf(link.id)).drift?.['implemented-not-designed']).toBe(1);
  });

  it('a link’s status and lastSync follow its latest run, also when that run had nothing to do', async () => {
    bridge = await startTestBridge();
    const link = await createLocalLink(bridge);
    const good = await link.readDesign();
    await writeFile(link.designFile, '{ "components": [ truncated');
    const broken = await link.sync();
    expect(broken).toMatchObject({ status: 'failed', outcome: 'blocked' });
    expect(await linkOf(link.id)).toMatchObject({ status: 'error', lastSync: { operationId: broken.id } });

    await link.writeDesign(good); // fixed: both sides are as the last good sync left them
    const fixed = await link.sync();
    expect(fixed).toMatchObject({ status: 'succeeded', outcome: 'no-changes' });
    const shown = await linkOf(link.id);
    expect(shown).toMatchObject({
      status: 'synced',
      lastSync: { operationId: fixed.id, result: 'no-changes' },
    });
    expect(shown.lastSync).not.toHaveProperty('error');
    // Both runs stay in the history, the failed one with its error.
    const history = (await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations`))
      .body.items;
    const failed = history.find((o) => o.id === broken.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'guard_blocked' } });
    expect(history.find((o) => o.id === fixed.id)).toMatchObject({ status: 'succeeded' });
  });

  it('a report-only run after a failure shows the link as it is, not the old error', async () => {
    bridge = await startTestBridge();
    const link = await createLocalLink(bridge, { policy: { writes: 'direct', mode: 'report-only' } });
    const good = await link.readDesign();
    await writeFile(link.designFile, 'not json');
    expect(await link.sync()).toMatchObject({ status: 'failed', outcome: 'blocked' });
    await link.writeDesign(good);
    const again = await link.sync();
    expect(again.status).toBe('succeeded');
    expect((await linkOf(link.id)).status).not.toBe('error');
  });
});
