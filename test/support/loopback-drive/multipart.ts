import { GoogleApiError } from './http-io.ts';

/**
 * Reads an upload body: `uploadType=media` is the content itself; `multipart` is a
 * multipart/related body with a JSON metadata part then the content part
 * (https://developers.google.com/workspace/drive/api/guides/manage-uploads).
 */
export function parseUpload(
  uploadType: string | null,
  contentType: string | undefined,
  body: Buffer,
): { metadata: Record<string, unknown>; content: string; contentType: string | undefined } {
  if (uploadType === 'media') return { metadata: {}, content: body.toString('utf8'), contentType };
  if (uploadType !== 'multipart') {
    throw new GoogleApiError(
      400,
      'invalidParameter',
      `Unsupported uploadType ${uploadType ?? '(none)'}`,
      'uploadType',
    );
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  if (!contentType?.toLowerCase().startsWith('multipart/related') || !boundary) {
    throw new GoogleApiError(
      400,
      'badContent',
      'Multipart upload needs Content-Type multipart/related with a boundary',
    );
  }
  const parts = body
    .toString('utf8')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((raw) => {
      const text = raw.replace(/^\r\n/, '').replace(/\r\n$/, '');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) throw new GoogleApiError(400, 'badContent', 'Malformed multipart part');
      const headers = text.slice(0, split);
      return { type: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim(), body: text.slice(split + 4) };
    });
  const [meta, media] = parts;
  if (parts.length !== 2 || !meta || !media) {
    throw new GoogleApiError(
      400,
      'badContent',
      'Multipart upload must have a metadata part and a media part',
    );
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(meta.body);
  } catch {
    throw new GoogleApiError(400, 'parseError', 'Metadata part is not JSON');
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new GoogleApiError(400, 'badContent', 'Metadata part must be a JSON object');
  }
  return { metadata: metadata as Record<string, unknown>, content: media.body, contentType: media.type };
}
