import { AppError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { BusMessage, MessageHandler } from '../ports/index.ts';
import { errorResponse, json } from './responses.ts';
import type { HttpHandler, HttpRequest } from './types.ts';

// Placeholder: replaced by the Pub/Sub push parser (raw envelope + CloudEvent).
export async function parsePushRequest(_req: HttpRequest): Promise<BusMessage> {
  throw new AppError('unavailable', 'Pub/Sub push parsing not implemented yet');
}

export function createPushHandler(handler: MessageHandler, logger: Logger): HttpHandler {
  return async (req) => {
    try {
      await handler(await parsePushRequest(req));
      return json(204, undefined);
    } catch (err) {
      logger.warn('push delivery failed; Pub/Sub will redeliver', { error: err });
      return errorResponse(err);
    }
  };
}
