import { AppError, isAppError } from '../errors/index.ts';
import type { AiProviderId } from '../ports/index.ts';
import { retryAfterSeconds } from './retry-hint.ts';

/** Seconds a caller is told to wait after a 429 that said nothing of how long. */
export const DEFAULT_RATE_LIMIT_RETRY_S = 10;

/**
 * Maps whatever a provider's client threw to an AppError whose code says what to do next. The
 * three clients differ (openai/anthropic: `APIError` with `status` and `headers`; @google/genai:
 * `ApiError` with `status` and the error body as its message, no headers), so this reads the shared
 * shape rather than each class. The provider's own message is not passed on: it may quote the request.
 * A 429 always carries `retry-after`: the provider's hint (see retry-hint.ts), or 10 s.
 */
export function providerError(provider: AiProviderId, err: unknown, timedOut: boolean): AppError {
  if (isAppError(err)) return err;
  if (timedOut) return new AppError('unavailable', `${provider}: no response before the attempt timeout`);
  const status = (err as { status?: unknown })?.status;
  if (typeof status !== 'number') {
    return new AppError('unavailable', `${provider}: connection failed`, { details: { provider } });
  }
  const headers: Record<string, string> = {};
  const hint = retryAfterSeconds(err, Date.now(), status === 429);
  if (hint !== undefined) headers['retry-after'] = String(hint);
  const details = { provider, status };
  if (status === 429) {
    headers['retry-after'] ??= String(DEFAULT_RATE_LIMIT_RETRY_S);
    return new AppError('rate_limited', `${provider}: rate limited (429)`, { headers, details });
  }
  // Gemini answers a key it does not know with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
  if (status === 401 || status === 403 || (status === 400 && geminiKeyInvalid(err))) {
    return new AppError('config_invalid', `${provider}: the API key was refused (${status})`, { details });
  }
  if (status === 408 || status >= 500) {
    return new AppError('upstream_failed', `${provider}: server error (${status})`, { headers, details });
  }
  return new AppError('bad_request', `${provider}: the request was refused (${status})`, { details });
}

/** Whether another provider may succeed where this one failed: all but a request the provider refused. */
export function failsOver(err: AppError): boolean {
  return err.code !== 'bad_request' && err.code !== 'validation_failed';
}

function geminiKeyInvalid(err: unknown): boolean {
  const message = (err as { message?: unknown })?.message;
  return typeof message === 'string' && message.length < 65_536 && message.includes('"API_KEY_INVALID"');
}
