import { AppError, isAppError } from '../errors/index.ts';
import type { AiProviderId } from '../ports/index.ts';

/**
 * Maps whatever a provider's client threw to an AppError whose code says what to do next. The
 * three clients differ (openai/anthropic: `APIError` with `status` and `headers`; @google/genai:
 * `ApiError` with `status` only), so this reads the shared shape rather than each class. The
 * provider's own message is not passed on: it may quote the request.
 */
export function providerError(provider: AiProviderId, err: unknown, timedOut: boolean): AppError {
  if (isAppError(err)) return err;
  if (timedOut) return new AppError('unavailable', `${provider}: no response before the attempt timeout`);
  const status = (err as { status?: unknown })?.status;
  if (typeof status !== 'number') {
    return new AppError('unavailable', `${provider}: connection failed`, { details: { provider } });
  }
  const headers: Record<string, string> = {};
  const retryAfter = readRetryAfter((err as { headers?: unknown }).headers);
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
  const details = { provider, status };
  if (status === 429)
    return new AppError('rate_limited', `${provider}: rate limited (429)`, { headers, details });
  if (status === 401 || status === 403) {
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

function readRetryAfter(headers: unknown): string | undefined {
  const value =
    headers instanceof Headers
      ? headers.get('retry-after')
      : typeof headers === 'object' && headers !== null
        ? (headers as Record<string, unknown>)['retry-after']
        : undefined;
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? value.trim() : undefined;
}
