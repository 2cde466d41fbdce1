import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS } from '../../shared/ports/index.ts';
import { COLLECTIONS, type Link } from '../../shared/records/index.ts';
import { createScheduler, drivePosition, followDriveChanges } from '../../shared/scheduler/index.ts';
import type { SyncRequest } from '../../shared/sync/queue-sync.ts';
import { type DriveHarness, startDriveHarness } from './support/drive-setup.ts';
import { type Harness, startHarness } from './support/scheduler-harness.ts';

const driveUrl = (fileId: string) => `https://drive.google.com/file/d/${fileId}`;

let h: DriveHarness | Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Link ids of the syncs queued so far, with their triggers. */
function queued(d: DriveHarness): Array<{ linkId: string; trigger: string }> {
  return d.publishedOn(TOPICS.syncRequests).map((p) => {
    const r = p.data as SyncRequest;
    return { linkId: r.linkId, trigger: r.trigger };
  });
}

const changeListCalls = (d: DriveHarness) =>
  d.drive.requests.filter((r) => r.method === 'GET' && r.path === '/drive/v3/changes').length;

/** A harness with Drive links on the given files, past the feed's first run (position recorded). */
const ADMIN = 'feed-test-admin-token-0123456789';

async function started(files: string[], links: Record<string, string> = {}) {
  const d = await startDriveHarness(files, { BRIDGE_ADMIN_TOKEN: ADMIN });
  h = d;
  const made: Record<string, Link> = {};
  for (const [name, fileId] of Object.entries(links))
    made[name] = await d.addLink({ design: driveUrl(fileId) });
  const first = await followDriveChanges(d.ctx);
  expect(first).toMatchObject({ drive: true, started: true, queued: 0 });
  return { d, links: made };
}

describe('drive-changes job (the Drive changes feed)', () => {
  it('does nothing without Google credentials or without Drive links', async () => {
    const plain = await startHarness();
    h = plain;
    await plain.addLink();
    expect(await followDriveChanges(plain.ctx)).toMatchObject({ drive: false, driveLinks: 1, queued: 0 });
    await plain.close();

    const d = await startDriveHarness(['fileA']);
    h = d;
    await d.addLink({ design: 'file:///tmp/local-design.json', repo: 'file:///tmp/repo.git' });
    expect(await followDriveChanges(d.ctx)).toMatchObject({ drive: false, driveLinks: 0 });
    expect(d.drive.requests).toHaveLength(0);
    expect(await drivePosition(d.ctx)).toBeUndefined();
  });

  it('first records where the feed starts, then queues one sync per link whose design changed', async () => {
    const { d, links } = await started(['fileA', 'fileB'], { a: 'fileA', b: 'fileB' });
    expect((await drivePosition(d.ctx))?.pageToken).toBe(d.drive.startPageToken());
    expect(changeListCalls(d)).toBe(0);

    d.drive.setContent('fileA', '{"v":1}');
    d.drive.setContent('fileA', '{"v":2}');
    d.drive.addFile('unrelated', { name: 'notes.txt', content: 'x' });
    const run = await followDriveChanges(d.ctx);

    expect(run).toMatchObject({ drive: true, started: false, pages: 1, changes: 3, queued: 1 });
    expect(queued(d)).toEqual([{ linkId: links.a?.id, trigger: 'drive-feed' }]);
    expect((await drivePosition(d.ctx))?.pageToken).toBe(d.drive.startPageToken());

    // Nothing new: the walk reads one empty page and queues nothing.
    expect(await followDriveChanges(d.ctx)).toMatchObject({ pages: 1, changes: 0, queued: 0 });
    expect(queued(d)).toHaveLength(1);
  });

  it('queues nothing for a change at the revision the link already synced (the bridge’s own write)', async () => {
    const { d, links } = await started(['fileA'], { a: 'fileA' });
    const file = d.drive.setContent('fileA', '{"written":"by the bridge"}');
    const link = links.a as Link;
    await d.ctx.state.set(COLLECTIONS.links, link.id, {
      ...link,
      positions: { designRevision: `${file.version}:${file.etag}` },
    });

    expect(await followDriveChanges(d.ctx)).toMatchObject({ changes: 1, upToDate: 1, queued: 0 });
    expect(queued(d)).toEqual([]);

    d.drive.setContent('fileA', '{"edited":"by a person"}');
    expect(await followDriveChanges(d.ctx)).toMatchObject({ changes: 1, upToDate: 0, queued: 1 });
  });

  it('queues every link on a changed file, none for a paused one, and a sync for a trashed or removed design', async () => {
    const { d, links } = await started(['shared', 'gone', 'binned'], {
      one: 'shared',
      two: 'shared',
      gone: 'gone',
      binned: 'binned',
    });
    const paused = await d.addLink({ design: driveUrl('shared'), status: 'paused' });
    d.drive.setContent('shared', '{"v":1}');
    d.drive.removeFile('gone');
    d.drive.trash('binned');

    const run = await followDriveChanges(d.ctx);

    expect(run).toMatchObject({ changes: 3, queued: 4, paused: 1 });
    expect(
      queued(d)
        .map((q) => q.linkId)
        .sort(),
    ).toEqual([links.one, links.two, links.gone, links.binned].map((l) => l?.id).sort());
    expect(queued(d).map((q) => q.linkId)).not.toContain(paused.id);
  });

  it('keeps its position until every page is handled: a failure between pages is re-read, never queued twice', async () => {
    const { d, links } = await started(['fileA', 'fileB', 'fileC'], { a: 'fileA', b: 'fileB', c: 'fileC' });
    const before = (await drivePosition(d.ctx))?.pageToken;
    d.drive.setContent('fileA', '{"v":1}');
    d.drive.setContent('fileB', '{"v":1}');
    d.drive.setContent('fileC', '{"v":1}');
    // The first page is served; the request for the second one fails (the run "crashes" there).
    d.drive.injectFault({
      method: 'GET',
      path: '/drive/v3/changes',
      run: () => {
        d.drive.injectFault({ method: 'GET', path: '/drive/v3/changes', status: 400, reason: 'badRequest' });
      },
    });

    await expect(followDriveChanges(d.ctx, { pageSize: 1 })).rejects.toThrow();
    expect((await drivePosition(d.ctx))?.pageToken).toBe(before);
    expect(queued(d).map((q) => q.linkId)).toEqual([links.a?.id]);

    const retry = await followDriveChanges(d.ctx, { pageSize: 1 });
    expect(retry).toMatchObject({ pages: 3, changes: 3, queued: 2 });
    expect(queued(d).map((q) => q.linkId)).toEqual([links.a, links.b, links.c].map((l) => l?.id));
    expect((await drivePosition(d.ctx))?.pageToken).toBe(d.drive.startPageToken());
    expect(d.drive.schemaErrors).toEqual([]);
  });

  it('queues nothing behind a sync of the link that is queued and not started', async () => {
    const { d, links } = await started(['fileA'], { a: 'fileA' });
    d.drive.setContent('fileA', '{"v":1}');
    expect(await followDriveChanges(d.ctx)).toMatchObject({ queued: 1, pending: 0 });
    d.drive.setContent('fileA', '{"v":2}');
    expect(await followDriveChanges(d.ctx)).toMatchObject({ queued: 0, pending: 1 });
    expect(queued(d)).toEqual([{ linkId: links.a?.id, trigger: 'drive-feed' }]);
  });

  it('the health report says when the feed position was last saved, never the token', async () => {
    const { d } = await started(['fileA'], { a: 'fileA' });
    const { createStatusApiHandler } = await import('../../shared/api/status-api.ts');
    const api = createStatusApiHandler(d.ctx);
    const res = await api({
      method: 'GET',
      path: '/api/v1/health',
      query: new URLSearchParams(),
      headers: { authorization: `Bearer ${ADMIN}` },
      body: async () => Buffer.alloc(0),
    });
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    expect(JSON.parse(text).driveChangesFeed).toEqual({ savedAt: d.clock.now().toISOString() });
    expect(text).not.toContain(`"pageToken"`);
  });

  it('runs as the scheduler’s drive-changes job', async () => {
    const { d, links } = await started(['fileA'], { a: 'fileA' });
    d.drive.setContent('fileA', '{"v":1}');
    await createScheduler(d.ctx)(d.message(TOPICS.schedulerJobs, { job: 'drive-changes' }));
    expect(queued(d)).toEqual([{ linkId: links.a?.id, trigger: 'drive-feed' }]);
    expect(d.lines.some((l) => l.includes('scheduler job done') && l.includes('drive-changes'))).toBe(true);
  });
});
