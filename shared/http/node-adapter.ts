import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors/index.ts';
import { serializeBody } from './responses.ts';
import type { HttpRequest, HttpResponse } from './types.ts';

function normalizeHeaders(raw: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `Request body exceeds ${limit} bytes`);
}

/** Streams the body with a cap; stops reading (and leaves the socket to be closed) past the limit. */
export function readStreamBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new AppError('bad_request', 'Request body could not be read', { cause: err }));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

export function fromNodeRequest(req: IncomingMessage): HttpRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let cached: Promise<Buffer> | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: normalizeHeaders(req.headers),
    body: (limit) => {
      cached ??= readStreamBody(req, limit);
      return cached;
    },
  };
}

/**
 * Adapts an Express request from the Functions Framework, which has already buffered the body
 * into `rawBody` (Cloud Run caps HTTP/1 request bodies at 32 MiB).
 */
export function fromExpressRequest(
  req: IncomingMessage & { rawBody?: Buffer; originalUrl?: string },
): HttpRequest {
  if (!req.rawBody) return fromNodeRequest(req);
  const base = fromNodeRequest(req);
  const raw = req.rawBody;
  return {
    ...base,
    path: new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost').pathname,
    body: async (limit) => {
      if (raw.length > limit) throw tooLarge(limit);
      return raw;
    },
  };
}

export function sendNodeResponse(res: ServerResponse, response: HttpResponse): void {
  const { headers, payload } = serializeBody(response);
  res.statusCode = response.status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('content-length', Buffer.byteLength(payload));
  res.end(payload);
}
