import { driveJobInputs } from '../connections/index.ts';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import {
  type ChangePage,
  type DriveChange,
  type DriveWatchClient,
  driveRevisionVersion,
  processChangePages,
} from '../providers/drive/index.ts';
import type { Link } from '../records/index.ts';
import { pendingSync, queueSync } from '../sync/queue-sync.ts';
import { claimMarker, markerId, releaseMarker } from './markers.ts';
import { SCHEDULER_COLLECTIONS } from './scheduler-collections.ts';

/**
 * The bridge's position in the Drive changes feed. The credentials see one feed, so one position
 * serves every link (a token per link would walk the same feed once per link).
 */
export const DRIVE_FEED_ID = 'drive-changes';

export interface DriveFeedPosition {
  pageToken: string;
  savedAt: string;
}

export interface DriveFeedOptions {
  /** Default: built from config; null forces "no Drive client". */
  watch?: DriveWatchClient | null;
  /** Changes per `changes.list` page (default 100; Drive allows 1..1000). */
  pageSize?: number;
  /** Most pages one run walks before it fails without moving the position (default 1000). */
  maxPages?: number;
}

export interface DriveFeedResult {
  /** False when no Drive client could be built (no Google credentials): nothing was done. */
  drive: boolean;
  driveLinks: number;
  /** The first run only records where the feed starts (links sync when they are created). */
  started: boolean;
  pages: number;
  changes: number;
  /** Syncs queued for links whose design changed outside the bridge. */
  queued: number;
  /** Changes at the revision the link already synced (the bridge's own writes among them). */
  upToDate: number;
  /** Links that changed but are paused. */
  paused: number;
  /** Links that changed but already have a sync waiting to start (it reads the file when it runs). */
  pending: number;
}

/** Queue markers outlive any re-read of the same changes (a failed run is retried within hours). */
const QUEUE_MARKER_TTL_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * The `drive-changes` job: walks the Drive changes feed from the saved position and queues a sync
 * for each link whose design file changed, catching edits whose push notification never arrived
 * (Drive does not guarantee delivery, and a channel can lapse between expiry and renewal). The new
 * start token is saved only after every page was handled; a failed run leaves the position where it
 * was, and its retry re-reads the same changes, where a marker per (link, file version) keeps a sync
 * from being queued twice. Changes at the revision a link already synced (its own writes included)
 * queue nothing.
 */
export async function followDriveChanges(
  ctx: AppContext,
  options: DriveFeedOptions = {},
): Promise<DriveFeedResult> {
  const result: DriveFeedResult = {
    drive: false,
    driveLinks: 0,
    started: false,
    pages: 0,
    changes: 0,
    queued: 0,
    upToDate: 0,
    paused: 0,
    pending: 0,
  };
  const { watch, links } = await driveJobInputs(ctx, options.watch);
  result.driveLinks = links.length;
  if (!watch || links.length === 0) return result;
  result.drive = true;

  const saveToken = async (pageToken: string): Promise<void> => {
    await ctx.state.set(SCHEDULER_COLLECTIONS.runs, DRIVE_FEED_ID, {
      pageToken,
      savedAt: ctx.now().toISOString(),
    } satisfies DriveFeedPosition);
  };
  const position = await drivePosition(ctx);
  if (!position) {
    await saveToken(await watch.getStartPageToken());
    result.started = true;
    return result;
  }

  const byFile = new Map<string, Link[]>();
  for (const { link, fileId } of links) byFile.set(fileId, [...(byFile.get(fileId) ?? []), link]);
  const queuedThisRun = new Set<string>();
  let failures = 0;

  const handlePage = async (page: ChangePage) => {
    for (const change of page.changes) {
      for (const link of byFile.get(change.fileId) ?? []) {
        const outcome = await queueForChange(ctx, link, change, queuedThisRun);
        if (outcome === 'failed') failures += 1;
        else if (outcome !== 'skipped') result[outcome] += 1;
      }
    }
    // Not past this page while a sync it asked for is not queued: the retry reads it again.
    if (failures > 0) {
      throw new AppError('unavailable', `Could not queue ${failures} sync(s) for Drive changes; will retry`);
    }
  };
  const source = { listChanges: (token: string) => watch.listChanges(token, pageSizeOf(options)) };
  const walked = await processChangePages(source, position.pageToken, handlePage, saveToken, {
    ...(options.maxPages === undefined ? {} : { maxPages: options.maxPages }),
  });
  result.pages = walked.pages;
  result.changes = walked.changes;
  return result;
}

/** The saved feed position, or undefined before the first run. */
export async function drivePosition(ctx: Pick<AppContext, 'state'>): Promise<DriveFeedPosition | undefined> {
  const doc = await ctx.state.get<DriveFeedPosition>(SCHEDULER_COLLECTIONS.runs, DRIVE_FEED_ID);
  return doc && typeof doc.data.pageToken === 'string' ? doc.data : undefined;
}

function pageSizeOf(options: DriveFeedOptions): { pageSize?: number } {
  return options.pageSize === undefined ? {} : { pageSize: options.pageSize };
}

async function queueForChange(
  ctx: AppContext,
  link: Link,
  change: DriveChange,
  queuedThisRun: Set<string>,
): Promise<'queued' | 'upToDate' | 'paused' | 'pending' | 'skipped' | 'failed'> {
  // One sync per link per run: it reads the file as it is now, whatever happened in between.
  if (queuedThisRun.has(link.id)) return 'skipped';
  const version = change.file?.version;
  const synced = link.positions.designRevision
    ? driveRevisionVersion(link.positions.designRevision)
    : undefined;
  if (!change.removed && version !== undefined && version === synced) return 'upToDate';
  if (link.status === 'paused') return 'paused';
  const marker = markerId('drive-changes', link.id, version ?? `removed@${change.time}`);
  if (!(await claimMarker(ctx, marker, { job: 'drive-changes', linkId: link.id }, QUEUE_MARKER_TTL_MS))) {
    queuedThisRun.add(link.id); // an earlier attempt of this run queued it
    return 'skipped';
  }
  try {
    queuedThisRun.add(link.id);
    if (await pendingSync(ctx, link.id)) return 'pending';
    await queueSync(ctx, link, { trigger: 'drive-feed' });
    return 'queued';
  } catch (err) {
    queuedThisRun.delete(link.id);
    ctx.logger.warn('could not queue a sync for a Drive change', { linkId: link.id, error: err });
    await releaseMarker(ctx, marker).catch(() => undefined);
    return 'failed';
  }
}
