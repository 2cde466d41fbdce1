import type { AppContext } from '../context/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';
import { parseDesignUrl } from '../providers/index.ts';
import { allLinks, type Link } from '../records/index.ts';

/** The Drive file id of a link's design, or undefined when the design is not on Drive. */
export function driveFileId(link: Pick<Link, 'design'>): string | undefined {
  try {
    const design = parseDesignUrl(link.design);
    return design.kind === 'drive' ? design.fileId : undefined;
  } catch {
    return undefined;
  }
}

/** Every link whose design is a Drive file, with that file's id. */
export async function driveLinks(
  ctx: Pick<AppContext, 'state'>,
): Promise<Array<{ link: Link; fileId: string }>> {
  return (await allLinks(ctx.state))
    .map((d) => ({ link: d.data, fileId: driveFileId(d.data) }))
    .filter((l): l is { link: Link; fileId: string } => l.fileId !== undefined);
}

/** The given client (null: none), else the one built from the config (undefined without credentials). */
export async function resolveWatch(
  ctx: AppContext,
  watch: DriveWatchClient | null | undefined,
): Promise<DriveWatchClient | undefined> {
  return watch === null ? undefined : (watch ?? (await ctx.driveWatch()));
}

/** What a Drive job starts from: the Drive client (none without credentials) and the Drive links. */
export async function driveJobInputs(
  ctx: AppContext,
  watch: DriveWatchClient | null | undefined,
): Promise<{ watch: DriveWatchClient | undefined; links: Array<{ link: Link; fileId: string }> }> {
  return { watch: await resolveWatch(ctx, watch), links: await driveLinks(ctx) };
}
