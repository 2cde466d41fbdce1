import { AppError, isAppError } from '../../errors/index.ts';

interface GoogleErrorShape {
  status?: unknown;
  code?: unknown;
  response?: { status?: unknown; data?: { error?: { errors?: Array<{ reason?: unknown }> } } };
}

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'sharingRateLimitExceeded']);

/**
 * Maps a googleapis/gaxios failure to an AppError. Only the status and Drive's `reason` are kept:
 * the original error carries the request (headers included), which must not reach a log or a caller.
 */
export function toDriveAppError(err: unknown, what: string): AppError {
  if (isAppError(err)) return err;
  const e = (err ?? {}) as GoogleErrorShape;
  const rawStatus = e.response?.status ?? e.status;
  const status = typeof rawStatus === 'number' ? rawStatus : undefined;
  const reason = e.response?.data?.error?.errors?.[0]?.reason;
  const details = { status, ...(typeof reason === 'string' ? { reason } : {}) };
  const opts = { details, cause: err };
  if (status === undefined) {
    const code = typeof e.code === 'string' ? e.code : 'network error';
    return new AppError('unavailable', `Drive is unreachable (${what}: ${code})`, { cause: err });
  }
  // Only the design write sends If-Match, so a 412 always means the design moved on.
  if (status === 412)
    return new AppError('design_changed', `${what}: the file changed since it was read`, opts);
  if (status === 404)
    return new AppError(
      'not_found',
      `${what}: file or channel not found (or not shared with the bridge)`,
      opts,
    );
  if (status === 401) return new AppError('unauthorized', `${what}: Google rejected the credentials`, opts);
  if (status === 429 || (status === 403 && typeof reason === 'string' && RATE_REASONS.has(reason))) {
    return new AppError('rate_limited', `${what}: Drive rate limit reached`, opts);
  }
  if (status === 403) return new AppError('forbidden', `${what}: the bridge's account may not do this`, opts);
  if (status >= 500) return new AppError('unavailable', `${what}: Drive answered ${status}`, opts);
  return new AppError('upstream_failed', `${what}: Drive answered ${status}`, opts);
}
