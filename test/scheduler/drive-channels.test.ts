import { afterEach, describe, expect, it } from 'vitest';
import { stopLinkChannels } from '../../shared/connections/index.ts';
import { getChannel, listChannels, saveChannel } from '../../shared/ingress/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { createDriveWatchClient, MAX_FILE_CHANNEL_MS } from '../../shared/providers/drive/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { createScheduler, renewChannels } from '../../shared/scheduler/index.ts';
import { type DriveHarness, startDriveHarness } from './support/drive-setup.ts';
import { type Harness, startHarness } from './support/scheduler-harness.ts';

const HOUR = 60 * 60 * 1000;
const driveUrl = (fileId: string) => `https://drive.google.com/file/d/${fileId}`;

let h: DriveHarness | Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A second live channel for a link, as two racing renewal runs would leave behind. */
async function addDuplicateChannel(d: DriveHarness, linkId: string, fileId: string) {
  const watch = createDriveWatchClient({
    rootUrl: d.drive.url,
    auth: { kind: 'access-token', accessToken: 't' },
    now: d.clock.ms,
  });
  const watched = await watch.watchFile(fileId, {
    token: 'dup-token',
    address: `${d.publicUrl}/drive/notifications`,
  });
  await saveChannel(d.ctx.state, watched.id, {
    linkId,
    token: 'dup-token',
    resourceId: watched.resourceId,
    kind: 'file',
    expiresAt: watched.expiresAt,
  });
  expect(await listChannels(d.ctx.state, { linkId })).toHaveLength(2);
}

const liveAt = (d: DriveHarness) => d.drive.channels().filter((c) => !c.stopped);

describe('renew-channels job', () => {
  it('creates one files.watch channel per Drive link, with a random id and token, and none for local designs', async () => {
    const d = await startDriveHarness(['fileA', 'fileB']);
    h = d;
    const a = await d.addLink({ design: driveUrl('fileA') });
    const b = await d.addLink({ design: `https://aistudio.google.com/apps/drive/fileB` });
    await d.addLink({ design: 'file:///tmp/local-design.json', repo: 'file:///tmp/repo.git' });

    await createScheduler(d.ctx)(d.message(TOPICS.schedulerJobs, { job: 'renew-channels' }));

    const docs = await listChannels(d.ctx.state);
    expect(docs.map((c) => c.linkId).sort()).toEqual([a.id, b.id].sort());
    const remote = d.drive.channels();
    expect(remote).toHaveLength(2);
    for (const doc of docs) {
      const at = remote.find((c) => c.id === doc.id);
      expect(at).toMatchObject({
        kind: 'file',
        token: doc.token,
        resourceId: doc.resourceId,
        address: `${d.publicUrl}/drive/notifications`,
        stopped: false,
      });
      expect(doc.resourceId).not.toBe('');
      expect(doc.token.length).toBeGreaterThanOrEqual(40);
      expect(doc.expiresAt).toBe(new Date(d.clock.ms() + MAX_FILE_CHANNEL_MS).toISOString());
    }
    expect(new Set(docs.map((c) => c.token)).size).toBe(2);
    expect(remote.map((c) => c.fileId).sort()).toEqual(['fileA', 'fileB']);

    // Drive's `sync` message right after creation found the channel and its token.
    await d.drive.idle();
    expect(d.drive.notifications.map((n) => [n.state, n.status])).toEqual([
      ['sync', 200],
      ['sync', 200],
    ]);

    // A second run finds fresh channels and leaves them alone.
    const again = await renewChannels(d.ctx);
    expect(again).toMatchObject({ created: 0, stopped: 0, kept: 2, errors: 0 });
    expect(d.drive.channels()).toHaveLength(2);
  });

  it('renews only channels inside the margin: new channel first, then the old one stopped and forgotten', async () => {
    const d = await startDriveHarness(['fileA', 'fileB']);
    h = d;
    const a = await d.addLink({ design: driveUrl('fileA') });
    await renewChannels(d.ctx);
    const [oldA] = await listChannels(d.ctx.state, { linkId: a.id });
    d.clock.advance(12 * HOUR);
    const b = await d.addLink({ design: driveUrl('fileB') });
    expect(await renewChannels(d.ctx)).toMatchObject({ created: 1, kept: 1, stopped: 0 });
    const [channelB] = await listChannels(d.ctx.state, { linkId: b.id });

    // A now expires in 1 h (inside the 2 h margin), B in 13 h.
    d.clock.advance(11 * HOUR);
    let bothValidDuringSwitch = false;
    d.drive.injectFault({
      method: 'POST',
      path: '/drive/v3/channels/stop',
      run: async () => {
        const docs = await listChannels(d.ctx.state, { linkId: a.id });
        bothValidDuringSwitch =
          docs.length === 2 && liveAt(d).filter((c) => c.fileId === 'fileA').length === 2;
      },
    });
    const before = d.drive.requests.length;
    expect(await renewChannels(d.ctx)).toMatchObject({ created: 1, stopped: 1, kept: 1, errors: 0 });
    expect(bothValidDuringSwitch).toBe(true);
    const calls = d.drive.requests.slice(before).map((r) => r.path);
    expect(calls).toEqual(['/drive/v3/files/fileA/watch', '/drive/v3/channels/stop']);

    const [newA] = await listChannels(d.ctx.state, { linkId: a.id });
    expect(newA?.id).not.toBe(oldA?.id);
    expect(newA?.token).not.toBe(oldA?.token);
    expect(await getChannel(d.ctx.state, oldA?.id ?? '')).toBeUndefined();
    expect(d.drive.channels().find((c) => c.id === oldA?.id)?.stopped).toBe(true);
    expect(await listChannels(d.ctx.state, { linkId: b.id })).toEqual([channelB]);

    // Notifications: the new channel is accepted and published, the old one is unknown (404).
    await d.drive.idle();
    const fresh = await d.drive.notify(newA?.id ?? '', 'update', { changed: ['content'] });
    expect(fresh.status).toBe(200);
    expect(d.publishedOn(TOPICS.driveChanges).map((p) => p.data)).toEqual([
      expect.objectContaining({ channelId: newA?.id, linkId: a.id, resourceState: 'update' }),
    ]);
    expect((await d.drive.notify(oldA?.id ?? '', 'update')).status).toBe(404);
  });

  it.each([
    { when: 'just outside the margin', expiresInMs: 2 * HOUR + 1, renewed: 0 },
    { when: 'exactly at the margin', expiresInMs: 2 * HOUR, renewed: 1 },
    { when: 'already expired', expiresInMs: -HOUR, renewed: 1 },
  ])('a channel expiring $when is renewed $renewed time(s)', async ({ expiresInMs, renewed }) => {
    const d = await startDriveHarness(['fileA']);
    h = d;
    await d.addLink({ design: driveUrl('fileA') });
    await renewChannels(d.ctx);
    d.clock.advance(MAX_FILE_CHANNEL_MS - expiresInMs);
    const result = await renewChannels(d.ctx);
    expect(result.created).toBe(renewed);
    expect(result.stopped).toBe(renewed);
  });

  it('stops channels of deleted links and of duplicate fresh channels', async () => {
    const d = await startDriveHarness(['fileA', 'fileB']);
    h = d;
    const a = await d.addLink({ design: driveUrl('fileA') });
    const b = await d.addLink({ design: driveUrl('fileB') });
    await renewChannels(d.ctx);
    await addDuplicateChannel(d, a.id, 'fileA');
    await d.ctx.state.delete(COLLECTIONS.links, b.id);

    const result = await renewChannels(d.ctx);
    expect(result.errors).toBe(0);
    expect(await listChannels(d.ctx.state, { linkId: b.id })).toEqual([]);
    expect(await listChannels(d.ctx.state, { linkId: a.id })).toHaveLength(1);
    expect(liveAt(d).map((c) => c.fileId)).toEqual(['fileA']);
  });

  it('forgets a half-created channel when the watch call fails, and nacks so the job is retried', async () => {
    const d = await startDriveHarness(['fileA']);
    h = d;
    const a = await d.addLink({ design: driveUrl('fileA') });
    d.drive.injectFault({ method: 'POST', path: '/drive/v3/files/fileA/watch', status: 403 });
    const scheduler = createScheduler(d.ctx);
    const message = d.message(TOPICS.schedulerJobs, { job: 'renew-channels' });
    await expect(scheduler(message)).rejects.toMatchObject({ code: 'unavailable' });
    expect(await listChannels(d.ctx.state)).toEqual([]);

    await scheduler({ ...message, deliveryAttempt: 2 });
    expect(await listChannels(d.ctx.state, { linkId: a.id })).toHaveLength(1);
  });

  it('skips channels with a warning when no Google credentials are configured', async () => {
    const plain = await startHarness();
    h = plain;
    await plain.addLink({ design: driveUrl('fileA') });
    await createScheduler(plain.ctx)(plain.message(TOPICS.schedulerJobs, { job: 'renew-channels' }));
    expect(await renewChannels(plain.ctx)).toMatchObject({ drive: false, driveLinks: 1, created: 0 });
    expect(plain.lines.some((l) => l.includes('Drive channels skipped'))).toBe(true);
  });
});

describe('stopLinkChannels', () => {
  it('stops and deletes every channel of the link, treating a Drive 404 as stopped', async () => {
    const d = await startDriveHarness(['fileA', 'fileB']);
    h = d;
    const a = await d.addLink({ design: driveUrl('fileA') });
    const b = await d.addLink({ design: driveUrl('fileB') });
    await renewChannels(d.ctx);
    await addDuplicateChannel(d, a.id, 'fileA');
    // Drive answers 404 for the first one (it already forgot it); the second is really stopped.
    d.drive.injectFault({ method: 'POST', path: '/drive/v3/channels/stop', status: 404 });
    const before = d.drive.requests.length;

    await stopLinkChannels(d.ctx, a.id);

    expect(await listChannels(d.ctx.state, { linkId: a.id })).toEqual([]);
    const stops = d.drive.requests.slice(before).filter((r) => r.path === '/drive/v3/channels/stop');
    expect(stops.map((r) => r.status)).toEqual([404, 204]);
    expect(liveAt(d).filter((c) => c.fileId === 'fileA')).toHaveLength(1);
    expect(await listChannels(d.ctx.state, { linkId: b.id })).toHaveLength(1);
    await stopLinkChannels(d.ctx, 'lnk_unknown');
  });
});
