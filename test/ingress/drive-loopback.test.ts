import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DriveChannel, deleteChannel, saveChannel } from '../../shared/ingress/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { createDriveWatchClient, type DriveWatchClient } from '../../shared/providers/drive/index.ts';
import { type LoopbackDrive, startLoopbackDrive } from '../support/loopback-drive/index.ts';
import { type Bridge, startBridge } from './support/bridge-harness.ts';

const ACCESS_TOKEN = 'ya29.ingress-loopback';
const FILE_ID = 'design-file-1';

/**
 * Drive's own notifications (from the loopback Drive server, as `changes.watch` / `files.watch`
 * channels created by the real watch client) reaching the real /drive/notifications endpoint.
 */
describe('Drive channels → /drive/notifications', () => {
  let bridge: Bridge;
  let drive: LoopbackDrive;
  let client: DriveWatchClient;
  beforeAll(async () => {
    bridge = await startBridge();
    drive = await startLoopbackDrive({
      accessToken: ACCESS_TOKEN,
      files: { [FILE_ID]: { name: 'architecture.json', content: '{"components":[]}' } },
    });
    client = createDriveWatchClient({
      rootUrl: drive.url,
      auth: { kind: 'access-token', accessToken: ACCESS_TOKEN },
      retry: false,
    });
  });
  afterAll(async () => {
    await drive?.close();
    await bridge?.close();
  });

  const address = () => `${bridge.url}/drive/notifications`;
  const publishedFor = (channelId: string) =>
    bridge.publishedOn(TOPICS.driveChanges).filter((p) => p.options?.attributes?.channelId === channelId);
  const answersFor = (channelId: string) =>
    drive.notifications
      .filter((n) => n.channelId === channelId)
      .map((n) => [n.state, n.messageNumber, n.status]);

  /**
   * The channel document is saved before `watch` (id and token are ours), because Drive sends the
   * `sync` message right away; Drive's resource id is filled in from the watch response.
   */
  async function watch(kind: DriveChannel['kind'], linkId: string, storedToken?: string) {
    const id = randomUUID();
    const token = randomBytes(24).toString('base64url');
    const pageToken = await client.getStartPageToken();
    const doc = (resourceId: string, expiresAt: string): DriveChannel => ({
      linkId,
      token: storedToken ?? token,
      resourceId,
      kind,
      expiresAt,
      ...(kind === 'changes' ? { pageToken } : {}),
    });
    await saveChannel(bridge.ctx.state, id, doc('', new Date(Date.now() + 3600_000).toISOString()));
    const watched =
      kind === 'changes'
        ? await client.watchChanges({ channelId: id, token, address: address(), pageToken })
        : await client.watchFile(FILE_ID, { channelId: id, token, address: address() });
    await saveChannel(bridge.ctx.state, id, doc(watched.resourceId, watched.expiresAt));
    await drive.idle();
    return id;
  }

  it('acknowledges the sync message and publishes each change once, ordered by link id', async () => {
    const id = await watch('changes', 'link-changes');
    drive.setContent(FILE_ID, '{"components":[{"id":"api"}]}');
    await drive.idle();
    await drive.notify(id, 'change');
    expect(answersFor(id)).toEqual([
      ['sync', 1, 200],
      ['change', 2, 200],
      ['change', 3, 200],
    ]);
    expect(
      publishedFor(id).map((p) => [
        p.options?.orderingKey,
        (p.data as { messageNumber: number }).messageNumber,
      ]),
    ).toEqual([
      ['link-changes', 2],
      ['link-changes', 3],
    ]);
  });

  it('publishes a file channel’s update with what changed', async () => {
    const id = await watch('file', 'link-file');
    await drive.notify(id, 'update', { changed: ['content'] });
    expect(answersFor(id).at(-1)).toEqual(['update', 2, 200]);
    expect(publishedFor(id)[0]?.data).toMatchObject({
      linkId: 'link-file',
      kind: 'file',
      changed: ['content'],
    });
  });

  it('401 when the channel token does not match; 404 once the channel is deleted', async () => {
    const wrong = await watch('changes', 'link-wrong', 'a-different-token');
    await drive.notify(wrong, 'change');
    expect(answersFor(wrong)).toEqual([
      ['sync', 1, 401],
      ['change', 2, 401],
    ]);
    expect(publishedFor(wrong)).toHaveLength(0);

    const gone = await watch('changes', 'link-gone');
    await deleteChannel(bridge.ctx.state, gone);
    await drive.notify(gone, 'change');
    expect(answersFor(gone).at(-1)).toEqual(['change', 2, 404]);
    expect(publishedFor(gone)).toHaveLength(0);
  });
});
