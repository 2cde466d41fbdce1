import type { AppContext } from '../app/index.ts';
import { AppError } from '../errors/index.ts';
import { errorResponse, type HttpHandler } from '../http/index.ts';

// Placeholder until this handler is built; answers 503 so callers retry rather than lose data.
export function createDriveNotificationsHandler(_ctx: AppContext): HttpHandler {
  return async () => errorResponse(new AppError('unavailable', 'Not implemented yet'));
}
