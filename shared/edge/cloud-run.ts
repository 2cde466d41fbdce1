import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext } from '../app/index.ts';
import { loadConfig } from '../config/index.ts';
import type { AppContext } from '../context/index.ts';
import {
  errorResponse,
  fromExpressRequest,
  type HttpHandler,
  type HttpResponse,
  logRequestError,
  sendNodeResponse,
} from '../http/index.ts';

import type { ConsumerName, FunctionName } from '../topology/index.ts';
import { beforeTermination } from './before-termination.ts';
import { FUNCTION_TABLE } from './function-table.ts';

type ExpressLike = IncomingMessage & { rawBody?: Buffer; originalUrl?: string };

let context: Promise<AppContext> | undefined;

/** How long an answer waits for the metrics export that precedes it. */
const FLUSH_WAIT_MS = 2_000;

export interface EdgeOptions {
  /** The context (default: the instance's, built on the first request). */
  context?: () => Promise<AppContext>;
  /** How long an answer waits for the metrics flush before it (default 2 s). */
  flushWaitMs?: number;
  /**
   * Export the last points when the instance gets SIGTERM (default: with the instance's own
   * context; see beforeTermination).
   */
  flushOnTermination?: boolean;
}

/** One context per instance, created on the first request so module load stays cheap (cold start). */
function sharedContext(): Promise<AppContext> {
  if (!context) {
    context = createContext(loadConfig(process.env), { env: process.env });
  }
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
  return cloudRunHttp(name, async (ctx) => {
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
  name: FunctionName,
  factory: (ctx: AppContext) => HttpHandler | Promise<HttpHandler>,
  options: EdgeOptions = {},
): (req: ExpressLike, res: ServerResponse) => Promise<void> {
  const contextOf = options.context ?? sharedContext;
  const flushWaitMs = options.flushWaitMs ?? FLUSH_WAIT_MS;
  let terminationFlush = options.flushOnTermination ?? options.context === undefined;
  let handler: Promise<HttpHandler> | undefined;
  return async (req, res) => {
    const request = fromExpressRequest(req);
    let response: HttpResponse;
    if (terminationFlush) {
      terminationFlush = false;
      // Cloud Run sends SIGTERM and gives the instance 10 s before it stops: the last points go out
      // (the flush before each answer skips most requests, so up to a minute's counts wait for it).
      beforeTermination(async () => (await contextOf()).metrics.flush(true));
    }
    try {
      handler ??= contextOf().then(factory);
      response = await (await handler)(request);
    } catch (err) {
      handler = undefined;
      const ctx = await contextOf().catch(() => undefined);
      if (ctx) logRequestError(ctx.logger, err, { path: request.path });
      response = errorResponse(err);
    }
    const ctx = await contextOf().catch(() => undefined);
    if (ctx) await settleMetrics(ctx, name, response, flushWaitMs);
    sendNodeResponse(res, response);
  };
}

/**
 * Counts a 5xx and flushes the exporter before the answer leaves: Cloud Run gives the CPU to an
 * instance only while it handles a request, so a flush after the response (or a reader's timer)
 * may never run before the instance is frozen or stopped. The flush waits at least
 * a minute after the previous one (Cloud Monitoring takes a point per series every 5 s at most),
 * so most requests pay nothing; a failed export is logged, never the request's failure.
 */
async function settleMetrics(
  ctx: AppContext,
  name: FunctionName,
  response: HttpResponse,
  waitMs: number,
): Promise<void> {
  if (response.status >= 500) ctx.metrics.httpServerError(name, response.status);
  const flushed = ctx.metrics
    .flush()
    .catch((err: unknown) => ctx.logger.warn('metrics export failed', { error: err }));
  // A slow Monitoring API must not hold the answer (GitHub gives a delivery 10 s): past `waitMs`
  // the export goes on while the instance still has CPU, and its totals go out with the next one.
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([flushed, waited]);
  clearTimeout(timer);
}
