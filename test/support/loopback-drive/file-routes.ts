import { DRIVE_V2, DRIVE_V3 } from './discovery.ts';
import type { LoopbackFile } from './drive-state.ts';
import { GoogleApiError } from './http-io.ts';
import { parseUpload } from './multipart.ts';
import { DEFAULT_FIELDS, v2File, v3File } from './representations.ts';
import type { FileEvent, LoopbackContext, Route, RouteRequest, RouteResult } from './route-types.ts';

function requireFile(ctx: LoopbackContext, id: string | undefined): LoopbackFile {
  const file = id === undefined ? undefined : ctx.state.files.get(id);
  if (!file) throw new GoogleApiError(404, 'notFound', `File not found: ${id}.`, 'fileId');
  return file;
}

const media = (file: LoopbackFile): RouteResult => ({
  media: file.bytes ?? file.content,
  contentType: file.mimeType,
});

/** Metadata a client may set, by API version; anything else is read-only (Drive answers 403). */
const WRITABLE = {
  v3: { name: 'name', mimeType: 'mimeType', trashed: 'trashed' },
  v2: { title: 'name', mimeType: 'mimeType' },
} as const;

function metadataPatch(version: 'v2' | 'v3', metadata: Record<string, unknown>) {
  const patch: { name?: string; mimeType?: string; trashed?: boolean } = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (version === 'v2' && key === 'labels') {
      const trashed = (value as { trashed?: unknown }).trashed;
      if (typeof trashed === 'boolean') patch.trashed = trashed;
      continue;
    }
    const target = (WRITABLE[version] as Record<string, keyof typeof patch>)[key];
    if (!target)
      throw new GoogleApiError(
        403,
        'fieldNotWritable',
        `The resource body includes fields which are not directly writable: ${key}`,
      );
    (patch as Record<string, unknown>)[target] = value;
  }
  return patch;
}

function applyUpdate(
  ctx: LoopbackContext,
  file: LoopbackFile,
  version: 'v2' | 'v3',
  req: RouteRequest,
  upload: boolean,
): LoopbackFile {
  const { metadata, content } = upload
    ? parseUpload(req.query.get('uploadType'), req.headers['content-type'], req.body)
    : { metadata: req.json, content: undefined };
  const patch = metadataPatch(version, metadata);
  const wasTrashed = file.trashed;
  const updated = ctx.state.update(file.id, { ...patch, ...(content === undefined ? {} : { content }) });
  let event: FileEvent = content === undefined ? 'properties' : 'content';
  if (updated.trashed !== wasTrashed) event = updated.trashed ? 'trash' : 'untrash';
  ctx.fileChanged(file.id, event);
  return updated;
}

/** Drive v2 checks If-Match against the file's etag atomically with the update. */
function checkIfMatch(req: RouteRequest, file: LoopbackFile) {
  const ifMatch = req.headers['if-match'];
  if (ifMatch === undefined || ifMatch === '*') return;
  const accepted = ifMatch.split(',').map((s) => s.trim());
  if (!accepted.includes(file.etag))
    throw new GoogleApiError(412, 'conditionNotMet', 'Precondition Failed', 'If-Match');
}

const v3Update = (upload: boolean): Route => ({
  httpMethod: 'PATCH',
  pattern: upload
    ? /^\/upload\/drive\/v3\/files\/(?<fileId>[^/]+)$/
    : /^\/drive\/v3\/files\/(?<fileId>[^/]+)$/,
  doc: DRIVE_V3,
  resource: 'files',
  method: 'update',
  upload,
  defaultFields: DEFAULT_FIELDS.v3File,
  handle(req, ctx) {
    const file = requireFile(ctx, req.params.fileId);
    return { json: v3File(applyUpdate(ctx, file, 'v3', req, upload)) };
  },
});

const v2Update = (upload: boolean): Route => ({
  httpMethod: 'PUT',
  pattern: upload
    ? /^\/upload\/drive\/v2\/files\/(?<fileId>[^/]+)$/
    : /^\/drive\/v2\/files\/(?<fileId>[^/]+)$/,
  doc: DRIVE_V2,
  resource: 'files',
  method: 'update',
  upload,
  defaultFields: DEFAULT_FIELDS.all,
  handle(req, ctx) {
    const file = requireFile(ctx, req.params.fileId);
    checkIfMatch(req, file);
    const updated = applyUpdate(ctx, file, 'v2', req, upload);
    return { json: v2File(updated, ctx.rootUrl()), headers: { etag: updated.etag } };
  },
});

export const FILE_ROUTES: Route[] = [
  {
    httpMethod: 'GET',
    pattern: /^\/drive\/v3\/files\/(?<fileId>[^/]+)$/,
    doc: DRIVE_V3,
    resource: 'files',
    method: 'get',
    defaultFields: DEFAULT_FIELDS.v3File,
    handle(req, ctx) {
      const file = requireFile(ctx, req.params.fileId);
      return req.query.get('alt') === 'media' ? media(file) : { json: v3File(file) };
    },
  },
  v3Update(false),
  v3Update(true),
  {
    httpMethod: 'GET',
    pattern: /^\/drive\/v2\/files\/(?<fileId>[^/]+)$/,
    doc: DRIVE_V2,
    resource: 'files',
    method: 'get',
    defaultFields: DEFAULT_FIELDS.all,
    handle(req, ctx) {
      const file = requireFile(ctx, req.params.fileId);
      if (req.query.get('alt') === 'media') return media(file);
      return { json: v2File(file, ctx.rootUrl()), headers: { etag: file.etag } };
    },
  },
  v2Update(false),
  v2Update(true),
];

export { requireFile };
