import { isAppError } from '../errors/index.ts';
import type { LogFields, Logger } from '../logging/index.ts';

/**
 * Logs a request that ended in an error. A refusal the caller caused (an AppError below 500: not
 * found, bad input, no token) is an info line with its code and status, without a stack; anything
 * else is an error with the whole cause.
 */
export function logRequestError(logger: Logger, err: unknown, fields: LogFields = {}): void {
  if (isAppError(err) && err.status < 500) {
    logger.info('request refused', { ...fields, status: err.status, code: err.code, reason: err.message });
    return;
  }
  logger.error('request failed', { ...fields, error: err });
}
