import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import type { AppContext } from '../context/index.ts';
import {
  errorResponse,
  fromExpressRequest,
  type HttpHandler,
  logRequestError,
  sendNodeResponse,
} from '../http/index.ts';

import type { ConsumerName, FunctionName } from '../topology/index.ts';
import { FUNCTION_TABLE } from './function-table.ts';

type ExpressLike = IncomingMessage & { rawBody?: Buffer; originalUrl?: string };

let context: Promise<AppContext> | undefined;

/** One context per instance, created on the first request so module load stays cheap (cold start). */
function sharedContext(): Promise<AppContext> {
  context ??= createContext(loadConfig(process.env), { env: process.env });
  return context;
}

/**
 * One function of FUNCTION_TABLE as a Functions Framework HTTP function: an HTTP function answers
 * requests itself; a push consumer gets Pub/Sub push deliveries (raw envelope or CloudEvent), its
 * topic known from the subscription as shared/topology declares it, 2xx only when the work is done.
 */
export function cloudRunFunction(
  name: FunctionName,
): (req: ExpressLike, res: ServerResponse) => Promise<void> {
  return cloudRunHttp(async (ctx) => {
    const built = await FUNCTION_TABLE[name](ctx, {});
    if (built.kind === 'http') return built.handler;
    const { createPushHandler } = await import('../http/pubsub-push.ts');
    return createPushHandler(built.handler, ctx.logger, {
      consumer: name as ConsumerName,
      topicPrefix: ctx.config.BRIDGE_TOPIC_PREFIX,
    });
  });
}

/**
 * Wraps a handler factory as a Functions Framework HTTP function. The factory runs once per
 * instance; errors become `{"error":{...}}` bodies.
 */
export function cloudRunHttp(
  factory: (ctx: AppContext) => HttpHandler | Promise<HttpHandler>,
): (req: ExpressLike, res: ServerResponse) => Promise<void> {
  let handler: Promise<HttpHandler> | undefined;
  return async (req, res) => {
    const request = fromExpressRequest(req);
    try {
      handler ??= sharedContext().then(factory);
      sendNodeResponse(res, await (await handler)(request));
    } catch (err) {
      handler = undefined;
      const ctx = await context?.catch(() => undefined);
      if (ctx) logRequestError(ctx.logger, err, { path: request.path });
      sendNodeResponse(res, errorResponse(err));
    }
  };
}
