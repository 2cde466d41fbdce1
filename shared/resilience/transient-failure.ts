import { isAppError } from '../errors/index.ts';

/** AppError codes that say "the host is struggling", as opposed to an answer about the request. */
const TRANSIENT_CODES = new Set(['unavailable', 'upstream_failed', 'rate_limited']);

/**
 * Whether a provider failure counts against its host's circuit: 5xx, timeouts, connection resets and
 * rate limits (403/429) do; an answer about the request (404, 409, 412, 422, 401...) means the host
 * is working. Anything that is not an AppError escaped the provider's own mapping: a network-level
 * failure, counted as transient.
 */
export function isTransientFailure(err: unknown): boolean {
  if (!isAppError(err)) return true;
  return TRANSIENT_CODES.has(err.code);
}

/** Seconds from an AppError's `retry-after` header, when it has one. */
export function retryAfterSeconds(err: unknown): number | undefined {
  if (!isAppError(err)) return undefined;
  const raw = err.headers['retry-after'];
  const seconds = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
