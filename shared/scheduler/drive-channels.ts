import {
  createFileChannel,
  driveJobInputs,
  failedChannel,
  liveChannel,
  stopAndDelete,
} from '../connections/index.ts';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { listChannels } from '../ingress/index.ts';
import { type ChannelKind, channelNeedsRenewal, type DriveWatchClient } from '../providers/drive/index.ts';
import { type LinkDriveChannel, recordConnections } from '../records/index.ts';

type StoredChannel = Awaited<ReturnType<typeof listChannels>>[number];

/** Renew this long before expiry: with hourly runs a 1-day file channel gets two chances. */
export const CHANNEL_RENEWAL_MARGIN_MS: Record<ChannelKind, number> = {
  file: 2 * 60 * 60 * 1000,
  changes: 24 * 60 * 60 * 1000,
};

export interface RenewChannelsOptions {
  /** Renew every channel whatever its expiry (channel token rotation). */
  renewAll?: boolean;
  marginMs?: Partial<Record<ChannelKind, number>>;
  /** Default: built from config; null forces "no Drive client". */
  watch?: DriveWatchClient | null;
}

export interface RenewChannelsResult {
  /** False when no Drive client could be built (no Google credentials): nothing was done. */
  drive: boolean;
  driveLinks: number;
  created: number;
  stopped: number;
  kept: number;
  errors: number;
}

/**
 * Ensures one live `files.watch` channel per link whose design is a Drive file, renewing those that
 * expire within the margin: the new channel is created and saved first, then the old one is stopped
 * and its document deleted, so notifications keep flowing during the switch. Channels of links that
 * are gone (or no longer on Drive) are stopped. Throws after trying every link if any failed, so the
 * job is retried; the work is idempotent (a fresh channel is never replaced).
 */
export async function renewChannels(
  ctx: AppContext,
  options: RenewChannelsOptions = {},
): Promise<RenewChannelsResult> {
  const result: RenewChannelsResult = {
    drive: false,
    driveLinks: 0,
    created: 0,
    stopped: 0,
    kept: 0,
    errors: 0,
  };
  const { watch, links } = await driveJobInputs(ctx, options.watch);
  result.driveLinks = links.length;
  if (!watch) {
    if (links.length > 0) {
      ctx.logger.warn('Drive channels skipped: no Google credentials (GOOGLE_ACCESS_TOKEN or ADC)', {
        driveLinks: links.length,
      });
    }
    return result;
  }
  result.drive = true;

  const byLink = new Map<string, StoredChannel[]>();
  for (const channel of await listChannels(ctx.state)) {
    byLink.set(channel.linkId, [...(byLink.get(channel.linkId) ?? []), channel]);
  }
  const margin = { ...CHANNEL_RENEWAL_MARGIN_MS, ...options.marginMs };

  for (const { link, fileId } of links) {
    const existing = byLink.get(link.id) ?? [];
    byLink.delete(link.id);
    try {
      await renewLinkChannels(
        ctx,
        watch,
        link.id,
        fileId,
        existing,
        margin,
        options.renewAll === true,
        result,
      );
      await noteChannel(ctx, link.id, liveChannel(ctx));
    } catch (err) {
      result.errors += 1;
      ctx.logger.warn('Drive channel renewal failed for a link', { linkId: link.id, error: err });
      await noteChannel(ctx, link.id, failedChannel(ctx, err));
    }
  }
  // What is left belongs to deleted links or links whose design is not on Drive.
  for (const channels of byLink.values()) {
    for (const channel of channels) {
      if (await stopAndDelete(ctx, watch, channel)) result.stopped += 1;
      else result.errors += 1;
    }
  }
  if (result.errors > 0) {
    throw new AppError(
      'unavailable',
      `Drive channel renewal failed for ${result.errors} item(s); will retry`,
    );
  }
  return result;
}

async function renewLinkChannels(
  ctx: AppContext,
  watch: DriveWatchClient,
  linkId: string,
  fileId: string,
  existing: StoredChannel[],
  margin: Record<ChannelKind, number>,
  renewAll: boolean,
  result: RenewChannelsResult,
): Promise<void> {
  const now = ctx.now();
  // A channel without a resource id was being created when a run stopped: it cannot be stopped
  // (channels.stop needs the resource id) and is replaced; Drive expires it by itself.
  // Only file channels are managed here; a `changes` channel (one per watched Drive) is left alone.
  const files = existing.filter((c) => c.kind === 'file');
  const stale = files.filter(
    (c) => renewAll || c.resourceId === '' || channelNeedsRenewal(c, now, margin[c.kind]),
  );
  const fresh = files
    .filter((c) => !stale.includes(c))
    .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt));
  if (fresh.length === 0) {
    await createFileChannel(ctx, watch, linkId, fileId);
    result.created += 1;
  } else {
    result.kept += 1;
  }
  // Two runs racing may both have created one: keep the longest-lived.
  for (const channel of [...stale, ...fresh.slice(1)]) {
    if (!(await stopAndDelete(ctx, watch, channel)))
      throw new AppError('unavailable', 'Stopping a channel failed');
    result.stopped += 1;
  }
}

async function noteChannel(ctx: AppContext, linkId: string, driveChannel: LinkDriveChannel): Promise<void> {
  await recordConnections(ctx.state, linkId, { driveChannel }).catch((err: unknown) =>
    ctx.logger.warn('Drive channel state not recorded on the link', { linkId, error: err }),
  );
}
