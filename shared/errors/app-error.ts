/**
 * Stable error codes, the HTTP status each maps to, and whether a retry might fix it: a consumer
 * (the sync worker, the scheduler) retries a retryable failure with backoff and records any other
 * as failed at once. Codes are part of the API contract.
 */
export const ERRORS = {
  bad_request: { status: 400, retryable: false },
  validation_failed: { status: 400, retryable: false },
  unauthorized: { status: 401, retryable: false },
  forbidden: { status: 403, retryable: false },
  not_found: { status: 404, retryable: false },
  method_not_allowed: { status: 405, retryable: false },
  request_timeout: { status: 408, retryable: true },
  /** Another writer got there first (a create that exists, another sync that committed first). */
  conflict: { status: 409, retryable: true },
  /** A stored document is no longer at the version a write was conditioned on (the state store). */
  precondition_failed: { status: 412, retryable: true },
  /** The design file changed between the sync's read and its write: read again and merge again. */
  design_changed: { status: 412, retryable: true },
  payload_too_large: { status: 413, retryable: false },
  unsupported_media_type: { status: 415, retryable: false },
  rate_limited: { status: 429, retryable: true },
  internal: { status: 500, retryable: true },
  upstream_failed: { status: 502, retryable: true },
  unavailable: { status: 503, retryable: true },
  /** Secrets and settings read at use time can be fixed without a redeploy: worth retrying. */
  config_invalid: { status: 500, retryable: true },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * An error that may reach an edge. The message and details must be safe to show to a caller:
 * never put a secret, token or signature in them.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Whether a retry might succeed (see ERRORS). */
  readonly retryable: boolean;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryable = ERRORS[code].retryable;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Maps anything thrown to an AppError; unknown errors become `internal` without leaking their text. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  return new AppError('internal', 'Internal error', { cause: err });
}
