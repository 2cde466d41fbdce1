import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from '../context/index.ts';
import {
  errorResponse,
  fromNodeRequest,
  type HttpHandler,
  json,
  logRequestError,
  sendNodeResponse,
} from '../http/index.ts';
import type { FunctionName } from '../topology/index.ts';
import { createFunctionHandlers, type FunctionHandlerOptions } from './function-handlers.ts';

export interface LocalServer {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting requests, lets in-flight requests and deliveries finish (up to `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

export interface ServerTimeouts {
  /** Until a request's headers have all arrived. */
  headersMs: number;
  /** Until a whole request, body included, has arrived (webhook bodies have a shorter deadline of their own). */
  requestMs: number;
  /** How often Node looks for requests past those times. */
  checkEveryMs: number;
}

/** Which function of the topology answers a path (the local server serves them all). */
function functionOf(path: string): FunctionName {
  if (path === '/github/webhook') return 'github-webhook';
  if (path === '/drive/notifications') return 'drive-notifications';
  return 'status-api';
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 30_000, checkEveryMs: 1_000 };

/**
 * Every function's handler in one process: the webhooks, the API and dashboard, and the embedded bus
 * delivering to the worker and the scheduler in-process.
 */
export async function startLocalServer(
  ctx: AppContext,
  options: { port?: number; host?: string; timeouts?: Partial<ServerTimeouts> } & FunctionHandlerOptions = {},
): Promise<LocalServer> {
  const handlers = await createFunctionHandlers(ctx, options);
  const route = (path: string): HttpHandler => {
    if (path === '/healthz') return async () => json(200, { status: 'ok' });
    if (path === '/github/webhook') return handlers.githubWebhook;
    if (path === '/drive/notifications') return handlers.driveNotifications;
    return handlers.statusApi;
  };

  if (ctx.bus) {
    for (const [topic, handler] of Object.entries(handlers.subscriptions)) ctx.bus.subscribe(topic, handler);
    ctx.bus.start();
  }

  const timeouts = { ...SERVER_TIMEOUTS, ...options.timeouts };
  const server = createServer(
    {
      // Node's defaults hold a slow client's socket for up to 300 s (and check only every 30 s).
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    (req, res) => {
      const request = fromNodeRequest(req);
      route(request.path)(request)
        .catch((err: unknown) => {
          logRequestError(ctx.logger, err, { path: request.path, method: request.method });
          return errorResponse(err);
        })
        .then((response) => {
          if (response.status >= 500) ctx.metrics.httpServerError(functionOf(request.path), response.status);
          // Answered before the body has all arrived (refused, cut, or never needed), Node sends
          // `Connection: close` itself, so the rest is not waited for on a kept-alive socket.
          if (!res.headersSent) sendNodeResponse(res, response);
        });
    },
  );
  // GitHub waits 10 s for an answer; keep sockets from idling forever.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? ctx.config.PORT, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  ctx.logger.info('bridge listening', { url, backend: ctx.config.BRIDGE_BACKEND });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    server,
    close: (graceMs = 10_000) => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await ctx.bus?.stop(graceMs);
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await stopped;
        clearTimeout(timer);
        await handlers.close();
      })();
      return closing;
    },
  };
}
