import { isAppError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import { createDriveApi, type DriveAuth } from './drive-api.ts';

export interface DriveParentsOptions {
  fileId: string;
  auth: DriveAuth;
  rootUrl?: string | undefined;
  logger?: Logger | undefined;
  timeoutMs?: number;
  /** See DriveApiOptions.fetch. */
  fetch?: typeof fetch | undefined;
}

/**
 * The ids of the folders holding a file, as these credentials see it (v3 `files.get` with
 * `fields=parents`): Drive lists only parents the caller may see, and a file it cannot see has none
 * (404 and a plain 403 answer an empty list). Rate limits and outages throw; no retries here, since a
 * sync that cannot ask now is retried by the bus with its own backoff.
 * https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get
 */
export async function readDriveParents(options: DriveParentsOptions): Promise<string[]> {
  const api = createDriveApi({
    auth: options.auth,
    rootUrl: options.rootUrl,
    logger: options.logger,
    retry: false,
    fetch: options.fetch,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  try {
    return await api.call('check the design’s folder', async ({ v3, options: o }) => {
      const res = await v3.files.get(
        { fileId: options.fileId, fields: 'parents', supportsAllDrives: true },
        o(),
      );
      return (res.data.parents ?? []).filter((p): p is string => typeof p === 'string');
    });
  } catch (err) {
    if (isAppError(err) && (err.code === 'not_found' || err.code === 'forbidden')) return [];
    throw err;
  }
}
