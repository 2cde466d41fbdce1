import { describe, expect, it } from 'vitest';
import { AppError, ERRORS, type ErrorCode } from '../../shared/errors/index.ts';

describe('the error table', () => {
  it.each<[ErrorCode, number, boolean]>([
    ['bad_request', 400, false],
    ['validation_failed', 400, false],
    ['unauthorized', 401, false],
    ['forbidden', 403, false],
    ['not_found', 404, false],
    ['payload_too_large', 413, false],
    ['conflict', 409, true],
    ['precondition_failed', 412, true],
    ['design_changed', 412, true],
    ['rate_limited', 429, true],
    ['internal', 500, true],
    ['upstream_failed', 502, true],
    ['unavailable', 503, true],
  ])('%s answers %i and says retryable=%s', (code, status, retryable) => {
    const err = new AppError(code, 'x');
    expect(err.status).toBe(status);
    expect(err.retryable).toBe(retryable);
    expect(ERRORS[code]).toEqual({ status, retryable });
  });

  it('says for every code whether a retry might fix it', () => {
    for (const [code, entry] of Object.entries(ERRORS)) {
      expect(typeof entry.retryable, code).toBe('boolean');
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
    }
  });
});
