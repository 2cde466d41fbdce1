import { AppError, toAppError } from '../errors/index.ts';
import type { HttpResponse } from './types.ts';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

/** `{"error":{"code","message"}}` with the error's status; unknown errors become a bare 500. */
export function errorResponse(err: unknown): HttpResponse {
  const appError = toAppError(err);
  return json(appError.status, appError.toBody(), appError.headers);
}

export function methodNotAllowed(allowed: string[]): HttpResponse {
  const err = new AppError('method_not_allowed', `Method not allowed; use ${allowed.join(', ')}`, {
    headers: { allow: allowed.join(', ') },
  });
  return errorResponse(err);
}

export function serializeBody(response: HttpResponse): {
  headers: Record<string, string>;
  payload: Buffer | string;
} {
  const headers = { ...(response.headers ?? {}) };
  const { body } = response;
  if (body === undefined || body === null) return { headers, payload: '' };
  if (typeof body === 'string' || Buffer.isBuffer(body)) return { headers, payload: body };
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return { headers, payload: JSON.stringify(body) };
}
