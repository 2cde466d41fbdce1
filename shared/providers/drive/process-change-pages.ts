import { AppError } from '../../errors/index.ts';

export interface DriveChange {
  fileId: string;
  removed: boolean;
  /** RFC 3339 time of the change. */
  time: string;
  /** Absent when the file was removed (or is no longer visible to the bridge). */
  file?: { id: string; name: string; version: string; modifiedTime: string; trashed: boolean };
}

/** One page of the changes feed: either `nextPageToken` (more pages) or `newStartPageToken` (the end). */
export interface ChangePage {
  changes: DriveChange[];
  nextPageToken?: string;
  newStartPageToken?: string;
}

export interface ChangePageSource {
  listChanges(pageToken: string): Promise<ChangePage>;
}

/**
 * Walks the changes feed from `startToken`, handing each page to `handlePage`, and saves the
 * feed's `newStartPageToken` only after every page was handled: a crash (or a throwing handler)
 * between pages leaves the saved token where it was, so the next run re-reads from there. Handlers
 * must therefore be idempotent. Returns the new start token.
 */
export async function processChangePages(
  client: ChangePageSource,
  startToken: string,
  handlePage: (page: ChangePage) => Promise<void> | void,
  saveToken: (token: string) => Promise<void> | void,
  options: { maxPages?: number } = {},
): Promise<{ pages: number; changes: number; newStartPageToken: string }> {
  const maxPages = options.maxPages ?? 1000;
  let token = startToken;
  let changes = 0;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await client.listChanges(token);
    await handlePage(page);
    changes += page.changes.length;
    if (page.newStartPageToken) {
      await saveToken(page.newStartPageToken);
      return { pages, changes, newStartPageToken: page.newStartPageToken };
    }
    if (!page.nextPageToken || page.nextPageToken === token) {
      throw new AppError(
        'upstream_failed',
        'Drive changes page had neither a next page nor a new start token',
      );
    }
    token = page.nextPageToken;
  }
  throw new AppError('upstream_failed', `Drive changes feed exceeded ${maxPages} pages in one run`);
}
