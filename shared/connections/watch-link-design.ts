import type { AppContext } from '../context/index.ts';
import type { LinkDriveChannel } from '../records/index.ts';
import { createFileChannel, failedChannel, liveChannel } from './drive-channel.ts';
import { driveFileId, resolveWatch } from './drive-links.ts';

/**
 * Opens the `files.watch` channel of a new link's Drive design right away, instead of at the next
 * hourly renewal. Never throws: a failure is returned for the link to show, and the renewal retries.
 */
export async function watchLinkDesign(
  ctx: AppContext,
  link: { id: string; design: string },
): Promise<LinkDriveChannel> {
  const fileId = driveFileId(link);
  if (fileId === undefined) {
    return {
      state: 'not-needed',
      message: 'the design is a local file: the 15-minute reconcile and `bridge sync` pick up its edits',
      at: ctx.now().toISOString(),
    };
  }
  try {
    const watch = await resolveWatch(ctx, undefined);
    if (!watch) {
      return {
        state: 'failed',
        message:
          'no Google credentials (GOOGLE_ACCESS_TOKEN or Application Default Credentials): the hourly ' +
          'renewal creates the Drive channel once they are set',
        at: ctx.now().toISOString(),
      };
    }
    await createFileChannel(ctx, watch, link.id, fileId);
    return liveChannel(ctx);
  } catch (err) {
    ctx.logger.warn('Drive channel not created for a new link', { linkId: link.id, error: err });
    return failedChannel(ctx, err);
  }
}
