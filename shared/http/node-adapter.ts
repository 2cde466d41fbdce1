import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { AppError } from '../errors/index.ts';
import { serializeBody } from './responses.ts';
import type { BodyOptions, HttpRequest, HttpResponse } from './types.ts';

function normalizeHeaders(raw: IncomingMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function tooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `Request body exceeds ${limit} bytes`);
}

/**
 * Streams the body with a cap; stops reading (and leaves the socket to be closed) past the limit, past
 * the deadline, when a reservation is refused or when the signal aborts.
 */
export function readStreamBody(
  req: IncomingMessage,
  limit: number,
  options: BodyOptions = {},
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const hasLength = req.headers['content-length'] !== undefined && Number.isFinite(declared);
  if (hasLength && declared > limit) return Promise.reject(tooLarge(limit));
  const { reserve, deadlineMs, signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  try {
    if (hasLength && declared > 0) reserve?.(declared);
  } catch (err) {
    return Promise.reject(err);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: unknown) => {
      cleanup();
      req.pause();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      try {
        if (!hasLength) reserve?.(chunk.length);
      } catch (err) {
        return fail(err);
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
    const onAbort = () => fail(signal?.reason);
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    if (deadlineMs !== undefined) {
      timer = setTimeout(
        () => fail(new AppError('request_timeout', `Request body not received within ${deadlineMs} ms`)),
        deadlineMs,
      );
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The local server is reached directly: the socket's peer is the client. X-Forwarded-For is ignored
 * here, since anyone can send it (behind a reverse proxy every client shares the proxy's address).
 */
export function fromNodeRequest(req: IncomingMessage): HttpRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let cached: Promise<Buffer> | undefined;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: normalizeHeaders(req.headers),
    clientAddress: req.socket?.remoteAddress,
    body: (limit, options) => {
      cached ??= readStreamBody(req, limit, options);
      return cached;
    },
  };
}

/**
 * The client address on Cloud Run: the socket's peer is Google's front end, which appends the address
 * it was connected from to X-Forwarded-For. Only that last entry is the platform's; whatever comes
 * before it was sent by the client and proves nothing. Falls back to the socket's peer when the
 * header is absent or its last entry is not an address.
 * https://cloud.google.com/functions/docs/reference/headers#x-forwarded-for
 */
export function platformClientAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
): string | undefined {
  const last = forwardedFor?.split(',').at(-1)?.trim();
  return last && isIP(last) !== 0 ? last : socketAddress;
}

/**
 * Adapts an Express request from the Functions Framework, which has already buffered the body
 * into `rawBody` (Cloud Run caps HTTP/1 request bodies at 32 MiB).
 */
export function fromExpressRequest(
  req: IncomingMessage & { rawBody?: Buffer; originalUrl?: string },
): HttpRequest {
  const base = fromNodeRequest(req);
  const clientAddress = platformClientAddress(base.headers['x-forwarded-for'], base.clientAddress);
  if (!req.rawBody) return { ...base, clientAddress };
  const raw = req.rawBody;
  return {
    ...base,
    clientAddress,
    path: new URL(req.originalUrl ?? req.url ?? '/', 'http://localhost').pathname,
    // Already buffered by the framework: the reservation still applies, so limits behave alike.
    body: async (limit, options) => {
      if (raw.length > limit) throw tooLarge(limit);
      if (options?.signal?.aborted) throw options.signal.reason;
      options?.reserve?.(raw.length);
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
