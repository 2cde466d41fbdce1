import { createHash } from 'node:crypto';
import { AppError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { DesignProvider, DesignSnapshot } from '../../ports/index.ts';
import { decodeDesignText } from '../design-text.ts';
import { createDriveApi, type DriveAuth } from './drive-api.ts';
import { formatDriveRevision, parseDriveRevision } from './drive-revision.ts';

export interface DriveDesignProviderOptions {
  fileId: string;
  /** DRIVE_API_ROOT_URL; default Google's. */
  rootUrl?: string | undefined;
  auth: DriveAuth;
  logger?: Logger | undefined;
  /** See DriveApiOptions.fetch. */
  fetch?: typeof fetch | undefined;
  /** gaxios retries for idempotent calls (GET, PUT); default true. */
  retry?: boolean;
}

const V2_META_FIELDS = 'id,title,etag,version,modifiedDate,md5Checksum,headRevisionId,mimeType';
const V2_WRITE_FIELDS = 'id,etag,version,modifiedDate,md5Checksum';
/** Extra reads when the content changed between the metadata and content requests. */
const READ_ATTEMPTS = 3;

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

function revisionOf(file: { version?: string | null; etag?: string | null }): string {
  return formatDriveRevision({ version: file.version ?? '', etag: file.etag ?? '' });
}

/**
 * The design file in Google Drive.
 *
 * Drive v3 has no conditional update, so writes use v2 `files.update` with `If-Match: <etag>`, which
 * Drive checks atomically (412 on mismatch). v3 resources carry no etag, so metadata is read through
 * v2 too; the revision is `<version>:<etag>` (see drive-revision.ts).
 */
export function createDriveDesignProvider(options: DriveDesignProviderOptions): DesignProvider {
  if (!/^[A-Za-z0-9_-]+$/.test(options.fileId)) {
    throw new AppError('bad_request', 'Drive file id must contain only letters, digits, "-" and "_"');
  }
  const { fileId } = options;
  const logger = options.logger?.child({ component: 'drive-design', fileId });
  const api = createDriveApi({
    auth: options.auth,
    rootUrl: options.rootUrl,
    logger,
    fetch: options.fetch,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });

  const readMetadata = () =>
    api.call('read design metadata', async ({ v2, options: o }) => {
      const res = await v2.files.get({ fileId, fields: V2_META_FIELDS, supportsAllDrives: true }, o());
      return res.data;
    });

  // Bytes, not text: gaxios would decode text lossily, and Drive's md5 is of the bytes.
  const readContent = () =>
    api.call('read design content', async ({ v3, options: o }) => {
      const res = await v3.files.get(
        { fileId, alt: 'media', supportsAllDrives: true },
        o({ responseType: 'arraybuffer' }),
      );
      return new Uint8Array(res.data as unknown as ArrayBuffer);
    });

  return {
    kind: 'drive',
    displayName: `Google Drive file ${fileId}`,

    async read(): Promise<DesignSnapshot> {
      // Metadata first, content second: if the file changes in between, the content is newer than
      // the etag, so a write with that etag fails safely (412) instead of overwriting the edit.
      // The md5 check catches that case early and reads again.
      for (let attempt = 1; ; attempt++) {
        const meta = await readMetadata();
        const content = await readContent();
        const consistent = !meta.md5Checksum || meta.md5Checksum === md5(content);
        if (consistent || attempt >= READ_ATTEMPTS) {
          if (!consistent) logger?.warn('design changed while being read; a write will re-read', { attempt });
          return {
            revision: revisionOf(meta),
            content: decodeDesignText(content),
            modifiedTime: meta.modifiedDate ?? new Date(0).toISOString(),
          };
        }
      }
    },

    async write(content: string, ifRevision: string): Promise<string> {
      const { etag } = parseDriveRevision(ifRevision);
      const file = await api.call('write design', async ({ v2, options: o }) => {
        const res = await v2.files.update(
          {
            fileId,
            fields: V2_WRITE_FIELDS,
            supportsAllDrives: true,
            media: { mimeType: 'application/json', body: content },
          },
          o({ headers: { 'If-Match': etag } }),
        );
        return res.data;
      });
      return revisionOf(file);
    },

    callCount: () => api.callCount(),
  };
}
