import { AppError } from '../../errors/index.ts';

/**
 * A Drive design revision carries both positions of the file: `version` (v3's monotonically
 * increasing number, also what the changes feed reports as `file.version`, used for loop prevention)
 * and the v2 `etag` (the only thing Drive checks atomically, through v2 `If-Match`).
 * Encoded as `<version>:<etag>`; the version is digits, so the first colon separates them.
 */
export interface DriveRevision {
  version: string;
  etag: string;
}

export function formatDriveRevision(revision: DriveRevision): string {
  if (!/^\d+$/.test(revision.version) || revision.etag === '') {
    throw new AppError('upstream_failed', 'Drive returned a file without a usable version or etag');
  }
  return `${revision.version}:${revision.etag}`;
}

/** Parses a revision made by `formatDriveRevision`; anything else is a caller bug (`bad_request`). */
export function parseDriveRevision(revision: string): DriveRevision {
  const colon = revision.indexOf(':');
  const version = revision.slice(0, colon);
  const etag = revision.slice(colon + 1);
  if (colon < 1 || !/^\d+$/.test(version) || etag === '') {
    throw new AppError(
      'bad_request',
      'Not a Drive revision (expected <version>:<etag> as returned by read())',
    );
  }
  return { version, etag };
}

/** The file version inside a revision, comparable with a changes-feed `file.version`; undefined if malformed. */
export function driveRevisionVersion(revision: string): string | undefined {
  const m = /^(\d+):./.exec(revision);
  return m?.[1];
}
