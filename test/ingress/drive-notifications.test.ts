import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveChannel } from '../../shared/ingress/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { type Bridge, startBridge } from './support/bridge-harness.ts';
import { driveChannel, notificationHeaders } from './support/drive-notification.ts';

const PATH = '/drive/notifications';

describe('POST /drive/notifications', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(() => bridge?.close());

  async function newChannel(overrides: Parameters<typeof driveChannel>[0] = {}) {
    const channel = driveChannel(overrides);
    const { id, ...doc } = channel;
    await saveChannel(bridge.ctx.state, id, doc);
    return channel;
  }
  const publishedFor = (channelId: string) =>
    bridge.publishedOn(TOPICS.driveChanges).filter((p) => p.options?.attributes?.channelId === channelId);
  const notify = (headers: Record<string, string>) => bridge.post(PATH, { headers });

  it('publishes a change once, ordered by link id', async () => {
    const channel = await newChannel();
    const res = await notify(notificationHeaders(channel, 2));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'accepted' });
    const [message, ...rest] = publishedFor(channel.id);
    expect(rest).toHaveLength(0);
    expect(message?.options).toEqual({
      orderingKey: channel.linkId,
      attributes: {
        linkId: channel.linkId,
        channelId: channel.id,
        resourceState: 'change',
        messageNumber: '2',
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
    });
    expect(message?.data).toMatchObject({
      channelId: channel.id,
      linkId: channel.linkId,
      kind: 'changes',
      resourceId: channel.resourceId,
      resourceState: 'change',
      messageNumber: 2,
    });
  });

  it('acknowledges the sync message without publishing', async () => {
    const channel = await newChannel();
    const res = await notify(notificationHeaders(channel, 1, 'sync'));
    expect([res.status, res.body.status]).toEqual([200, 'sync']);
    expect(publishedFor(channel.id)).toHaveLength(0);
  });

  it('acknowledges and ignores an unknown resource state', async () => {
    const channel = await newChannel();
    const res = await notify(notificationHeaders(channel, 2, 'exploded'));
    expect([res.status, res.body.status]).toEqual([200, 'ignored']);
    expect(publishedFor(channel.id)).toHaveLength(0);
  });

  it('passes a file channel’s X-Goog-Changed along', async () => {
    const channel = await newChannel({ kind: 'file' });
    const res = await notify(
      notificationHeaders(channel, 3, 'update', { 'x-goog-changed': 'content,properties' }),
    );
    expect(res.status).toBe(200);
    expect(publishedFor(channel.id)[0]?.data).toMatchObject({
      kind: 'file',
      changed: ['content', 'properties'],
    });
  });

  it('404 for a channel we did not create', async () => {
    const res = await notify(notificationHeaders(driveChannel(), 2));
    expect([res.status, res.body.error?.code]).toEqual([404, 'not_found']);
  });

  it.each([
    ['wrong token', { 'x-goog-channel-token': 'not-the-token' }],
    ['token of another length', { 'x-goog-channel-token': 'x' }],
    ['resource id of another resource', { 'x-goog-resource-id': 'res-other' }],
  ])('401 for a %s', async (_name, overrides) => {
    const channel = await newChannel();
    const res = await notify(notificationHeaders(channel, 2, 'change', overrides));
    expect([res.status, res.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(publishedFor(channel.id)).toHaveLength(0);
  });

  it.each([
    'x-goog-channel-id',
    'x-goog-channel-token',
    'x-goog-resource-state',
    'x-goog-message-number',
    'x-goog-resource-id',
  ])('400 without %s', async (header) => {
    const channel = await newChannel();
    const res = await notify(notificationHeaders(channel, 2, 'change', { [header]: undefined }));
    expect([res.status, res.body.error?.code]).toEqual([400, 'bad_request']);
    expect(publishedFor(channel.id)).toHaveLength(0);
  });

  it.each(['-1', 'abc', '1.5'])('400 for message number %j', async (n) => {
    const channel = await newChannel();
    const res = await notify(notificationHeaders(channel, 2, 'change', { 'x-goog-message-number': n }));
    expect(res.status).toBe(400);
  });

  it('does not republish a duplicate message number', async () => {
    const channel = await newChannel();
    expect((await notify(notificationHeaders(channel, 7))).body.status).toBe('accepted');
    const again = await notify(notificationHeaders(channel, 7));
    expect([again.status, again.body.status]).toEqual([200, 'duplicate']);
    expect(publishedFor(channel.id)).toHaveLength(1);
  });

  it('publishes out-of-order message numbers each once', async () => {
    const channel = await newChannel();
    const order = [5, 3, 4, 3, 5, 2];
    const statuses = [];
    for (const n of order) statuses.push((await notify(notificationHeaders(channel, n))).body.status);
    expect(statuses).toEqual(['accepted', 'accepted', 'accepted', 'duplicate', 'duplicate', 'accepted']);
    expect(publishedFor(channel.id).map((p) => p.options?.attributes?.messageNumber)).toEqual([
      '5',
      '3',
      '4',
      '2',
    ]);
  });

  it('answers 503 when publishing fails, and Google’s retry publishes it', async () => {
    const channel = await newChannel();
    bridge.failNextPublishes(1);
    const failed = await notify(notificationHeaders(channel, 9));
    expect([failed.status, failed.body.error?.code]).toEqual([503, 'unavailable']);
    expect(publishedFor(channel.id)).toHaveLength(0);
    expect((await notify(notificationHeaders(channel, 9))).body.status).toBe('accepted');
    expect((await notify(notificationHeaders(channel, 9))).body.status).toBe('duplicate');
    expect(publishedFor(channel.id)).toHaveLength(1);
  });

  it('405 for a wrong method', async () => {
    const res = await fetch(`${bridge.url}${PATH}`, { method: 'GET' });
    expect(res.status).toBe(405);
  });
});
