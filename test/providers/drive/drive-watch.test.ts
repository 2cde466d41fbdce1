import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors/index.ts';
import {
  type ChangePage,
  channelNeedsRenewal,
  createDriveWatchClient,
  type DriveWatchClient,
  MAX_CHANGES_CHANNEL_MS,
  MAX_FILE_CHANNEL_MS,
  processChangePages,
} from '../../../shared/providers/drive/index.ts';
import {
  type LoopbackDrive,
  type NotificationReceiver,
  startLoopbackDrive,
  startNotificationReceiver,
} from '../../support/loopback-drive/index.ts';
import { designJson, FILE_ID, TOKEN } from './builders.ts';

const NOW = Date.parse('2025-03-01T12:00:00.000Z');
const HOUR = 3600_000;

let loopback: LoopbackDrive;
let receiver: NotificationReceiver;
let client: DriveWatchClient;

beforeEach(async () => {
  loopback = await startLoopbackDrive({
    accessToken: TOKEN,
    now: () => NOW,
    files: { [FILE_ID]: { name: 'architecture.json', content: designJson([{ id: 'api' }]) } },
  });
  receiver = await startNotificationReceiver();
  client = createDriveWatchClient({
    rootUrl: loopback.url,
    auth: { kind: 'access-token', accessToken: TOKEN },
    retry: false,
    now: () => NOW,
  });
});

afterEach(async () => {
  await loopback.close();
  await receiver.close();
  expect(loopback.schemaErrors).toEqual([]);
});

describe('changes feed', () => {
  it('starts at the current position and lists one page of changes', async () => {
    const start = await client.getStartPageToken();
    expect(await client.listChanges(start)).toEqual({ changes: [], newStartPageToken: start });

    const edited = loopback.setContent(FILE_ID, designJson([{ id: 'api' }, { id: 'billing' }]));
    const page = await client.listChanges(start);
    expect(page.nextPageToken).toBeUndefined();
    expect(page.newStartPageToken).not.toBe(start);
    expect(page.changes).toEqual([
      {
        fileId: FILE_ID,
        removed: false,
        time: new Date(NOW).toISOString(),
        file: {
          id: FILE_ID,
          name: 'architecture.json',
          version: String(edited.version),
          modifiedTime: edited.modifiedTime,
          trashed: false,
        },
      },
    ]);
    const list = loopback.requests.find((r) => r.path === '/drive/v3/changes');
    expect(list?.query.fields).toBe(
      'changes(fileId,removed,time,file(id,name,version,modifiedTime,trashed)),nextPageToken,newStartPageToken',
    );
  });

  it('reports removed and trashed files', async () => {
    const start = await client.getStartPageToken();
    loopback.addFile('other', { name: 'other.json', content: '{}' });
    loopback.trash(FILE_ID);
    loopback.removeFile('other');
    const { changes } = await client.listChanges(start);
    expect(changes.map((c) => [c.fileId, c.removed, c.file?.trashed])).toEqual([
      ['other', true, undefined],
      [FILE_ID, false, true],
      ['other', true, undefined],
    ]);
  });

  it('honours pageSize and hands out nextPageToken until the last page', async () => {
    const start = await client.getStartPageToken();
    for (let i = 0; i < 5; i++) loopback.setContent(FILE_ID, designJson([{ id: `s${i}` }]));
    const sizes: number[] = [];
    let token: string | undefined = start;
    let last: ChangePage | undefined;
    while (token) {
      last = await client.listChanges(token, { pageSize: 2 });
      sizes.push(last.changes.length);
      token = last.nextPageToken;
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(last?.newStartPageToken).toBe(loopback.startPageToken());
  });
});

describe('processChangePages', () => {
  async function fivePendingChanges() {
    const start = await client.getStartPageToken();
    for (let i = 0; i < 5; i++) loopback.setContent(FILE_ID, designJson([{ id: `s${i}` }]));
    const paged = { listChanges: (token: string) => client.listChanges(token, { pageSize: 2 }) };
    return { start, paged };
  }

  it('handles every page, then saves the new start token once', async () => {
    const { start, paged } = await fivePendingChanges();
    const seen: number[] = [];
    const saved: string[] = [];
    const result = await processChangePages(
      paged,
      start,
      (page) => void seen.push(page.changes.length),
      (t) => void saved.push(t),
    );
    expect(seen).toEqual([2, 2, 1]);
    expect(saved).toEqual([loopback.startPageToken()]);
    expect(result).toEqual({ pages: 3, changes: 5, newStartPageToken: loopback.startPageToken() });
  });

  it('leaves the saved token at the start when a handler fails on page 2, and a rerun sees everything', async () => {
    const { start, paged } = await fivePendingChanges();
    let savedToken = start;
    let pages = 0;
    const failing = processChangePages(
      paged,
      savedToken,
      () => {
        pages += 1;
        if (pages === 2) throw new Error('worker crashed');
      },
      (t) => {
        savedToken = t;
      },
    );
    await expect(failing).rejects.toThrow('worker crashed');
    expect(savedToken).toBe(start);

    const seen: string[] = [];
    await processChangePages(
      paged,
      savedToken,
      (page) => void seen.push(...page.changes.map((c) => c.fileId)),
      (t) => {
        savedToken = t;
      },
    );
    expect(seen).toHaveLength(5);
    expect(savedToken).toBe(loopback.startPageToken());
  });

  it('stops on a page that has neither a next page nor a new start token', async () => {
    const broken = { listChanges: async () => ({ changes: [] }) };
    await expect(
      processChangePages(
        broken,
        '1',
        () => {},
        () => {},
      ),
    ).rejects.toMatchObject({
      code: 'upstream_failed',
    });
  });
});

describe('channels', () => {
  it('watches the changes feed, gets a sync message, then a change message per edit', async () => {
    const pageToken = await client.getStartPageToken();
    const channel = await client.watchChanges({
      pageToken,
      channelId: 'ch-changes',
      token: 'channel-secret',
      address: receiver.url,
      expirationMs: NOW + 2 * HOUR,
    });
    expect(channel).toMatchObject({
      kind: 'changes',
      id: 'ch-changes',
      pageToken,
      expirationMs: NOW + 2 * HOUR,
      expiresAt: new Date(NOW + 2 * HOUR).toISOString(),
    });
    expect(channel.resourceId).not.toBe('');

    const [sync] = await receiver.waitFor(1);
    loopback.setContent(FILE_ID, designJson([]));
    const [, change] = await receiver.waitFor(2);
    expect(sync?.body).toBe('');
    expect(sync?.headers).toMatchObject({
      'x-goog-channel-id': 'ch-changes',
      'x-goog-channel-token': 'channel-secret',
      'x-goog-channel-expiration': new Date(NOW + 2 * HOUR).toUTCString(),
      'x-goog-resource-id': channel.resourceId,
      'x-goog-resource-uri': channel.resourceUri,
      'x-goog-resource-state': 'sync',
      'x-goog-message-number': '1',
    });
    expect(change?.headers).toMatchObject({
      'x-goog-resource-state': 'change',
      'x-goog-message-number': '2',
    });
  });

  it.each([
    ['changes', MAX_CHANGES_CHANNEL_MS],
    ['file', MAX_FILE_CHANNEL_MS],
  ] as const)('caps a %s channel at its maximum lifetime', async (kind, max) => {
    const request = { token: 't', address: receiver.url, expirationMs: NOW + 30 * 24 * HOUR };
    const channel =
      kind === 'changes'
        ? await client.watchChanges({ ...request, pageToken: await client.getStartPageToken() })
        : await client.watchFile(FILE_ID, request);
    expect(channel.expirationMs).toBe(NOW + max);
    expect(loopback.channels()[0]?.expiration).toBe(NOW + max);
  });

  it('watches one file: update messages say what changed', async () => {
    const channel = await client.watchFile(FILE_ID, {
      channelId: 'ch-file',
      token: 't',
      address: receiver.url,
    });
    expect(channel).toMatchObject({ kind: 'file', fileId: FILE_ID, expirationMs: NOW + HOUR });
    loopback.setContent(FILE_ID, designJson([]));
    const [sync, update] = await receiver.waitFor(2);
    expect(sync?.headers['x-goog-resource-state']).toBe('sync');
    expect(update?.headers).toMatchObject({
      'x-goog-resource-state': 'update',
      'x-goog-changed': 'content',
      'x-goog-message-number': '2',
    });
  });

  it('stops a channel: no more messages, and stopping again is not an error', async () => {
    const channel = await client.watchFile(FILE_ID, {
      channelId: 'ch-stop',
      token: 't',
      address: receiver.url,
    });
    await receiver.waitFor(1);
    await client.stopChannel(channel);
    expect(loopback.channels()).toMatchObject([{ id: 'ch-stop', stopped: true }]);
    loopback.setContent(FILE_ID, designJson([]));
    await loopback.idle();
    expect(receiver.received).toHaveLength(1);
    await expect(client.stopChannel(channel)).resolves.toBeUndefined();
    const stops = loopback.requests.filter((r) => r.path === '/drive/v3/channels/stop');
    expect(stops.map((r) => [r.status, JSON.parse(r.body)])).toEqual([
      [204, { id: 'ch-stop', resourceId: channel.resourceId }],
      [404, { id: 'ch-stop', resourceId: channel.resourceId }],
    ]);
  });

  it('rejects an expiration given as a duration instead of an instant', async () => {
    const err = await client
      .watchFile(FILE_ID, { token: 't', address: receiver.url, expirationMs: 7 * 24 * HOUR })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
  });

  it('counts API calls', async () => {
    const token = await client.getStartPageToken();
    await client.listChanges(token);
    expect(client.callCount()).toBe(2);
  });
});

describe('channelNeedsRenewal', () => {
  const at = (iso: string) => ({ expiresAt: iso });
  it.each([
    ['expires well after the margin', at('2025-03-01T15:00:00.000Z'), HOUR, false],
    ['expires inside the margin', at('2025-03-01T12:30:00.000Z'), HOUR, true],
    ['expires exactly at the margin', at('2025-03-01T13:00:00.000Z'), HOUR, true],
    ['already expired', at('2025-03-01T11:00:00.000Z'), 0, true],
    ['unreadable expiry', at('soon'), HOUR, true],
    ['expiry as Unix ms', { expiresAt: NOW + 2 * HOUR }, HOUR, false],
  ])('%s → %s', (_name, channel, margin, expected) => {
    expect(channelNeedsRenewal(channel, new Date(NOW), margin)).toBe(expected);
    expect(channelNeedsRenewal(channel, NOW, margin)).toBe(expected);
  });
});
