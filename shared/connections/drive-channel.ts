import { randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { deleteChannel, listChannels, saveChannel } from '../ingress/index.ts';
import { type DriveWatchClient, MAX_FILE_CHANNEL_MS } from '../providers/drive/index.ts';
import type { LinkDriveChannel } from '../records/index.ts';
import { resolveWatch } from './drive-links.ts';

type StoredChannel = Awaited<ReturnType<typeof listChannels>>[number];

/**
 * A link's Drive `files.watch` channel: opened when the link is created (and by the hourly renewal),
 * stopped when it is deleted. The channel state the link shows is one of liveChannel/failedChannel.
 */
/** The link's channel state, as its page and `bridge status` show it. */
export const liveChannel = (ctx: Pick<AppContext, 'config' | 'now'>): LinkDriveChannel => ({
  state: 'live',
  message: `Drive notifies ${ctx.config.urls.driveNotifications} of edits (channel renewed hourly)`,
  at: ctx.now().toISOString(),
});

export const failedChannel = (ctx: Pick<AppContext, 'now'>, err: unknown): LinkDriveChannel => ({
  state: 'failed',
  message:
    `the Drive channel could not be created (${err instanceof AppError ? err.message : 'internal error'}); ` +
    'the hourly renewal tries again, and the 5-minute Drive changes feed still picks up edits',
  at: ctx.now().toISOString(),
});

export async function createFileChannel(
  ctx: AppContext,
  watch: DriveWatchClient,
  linkId: string,
  fileId: string,
): Promise<void> {
  const channelId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const requested = ctx.now().getTime() + MAX_FILE_CHANNEL_MS;
  // Saved before the watch call: Drive sends a `sync` message as soon as the channel exists, and
  // the ingress must already know the channel and its token.
  const pending = {
    linkId,
    token,
    resourceId: '',
    kind: 'file' as const,
    expiresAt: new Date(requested).toISOString(),
  };
  await saveChannel(ctx.state, channelId, pending);
  try {
    const watched = await watch.watchFile(fileId, {
      channelId,
      token,
      address: ctx.config.urls.driveNotifications,
      expirationMs: requested,
    });
    await saveChannel(ctx.state, channelId, {
      ...pending,
      resourceId: watched.resourceId,
      expiresAt: watched.expiresAt,
    });
    ctx.logger.info('Drive channel created', { linkId, channelId, expiresAt: watched.expiresAt });
  } catch (err) {
    await deleteChannel(ctx.state, channelId);
    throw err;
  }
}

/** Stops a channel at Drive (unknown there counts as stopped) and deletes its document. */
export async function stopAndDelete(
  ctx: AppContext,
  watch: DriveWatchClient,
  channel: StoredChannel,
): Promise<boolean> {
  try {
    if (channel.resourceId !== '')
      await watch.stopChannel({ id: channel.id, resourceId: channel.resourceId });
    await deleteChannel(ctx.state, channel.id);
    return true;
  } catch (err) {
    ctx.logger.warn('stopping a Drive channel failed', {
      channelId: channel.id,
      linkId: channel.linkId,
      error: err,
    });
    return false;
  }
}

/**
 * Stops and forgets every channel of a link (link deletion). A channel Drive cannot stop now is
 * still forgotten: its notifications then get 404 from the ingress and it expires within a day.
 */
export async function stopLinkChannels(
  ctx: AppContext,
  linkId: string,
  options: { watch?: DriveWatchClient | null } = {},
): Promise<void> {
  const channels = await listChannels(ctx.state, { linkId });
  if (channels.length === 0) return;
  const watch = await resolveWatch(ctx, options.watch);
  if (!watch) ctx.logger.warn('Drive channels forgotten without stopping: no Google credentials', { linkId });
  for (const channel of channels) {
    if (watch && (await stopAndDelete(ctx, watch, channel))) continue;
    await deleteChannel(ctx.state, channel.id);
  }
}
