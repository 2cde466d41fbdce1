import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { errorResponse, type HttpHandler, json, logRequestError, methodNotAllowed } from '../http/index.ts';
import { traceIdFromHeaders } from '../logging/index.ts';
import { CALLBACK_PATH } from '../oauth/index.ts';
import type { Caller } from './api-keys.ts';
import { AuthThrottle } from './auth-throttle.ts';
import { authenticate } from './authenticate.ts';
import { serveMetrics } from './metrics-route.ts';
import { openApiDocument } from './openapi.ts';
import { RateLimiter } from './rate-limit.ts';
import { Router } from './router.ts';
import { aiCallRoutes } from './routes/ai-calls.ts';
import { aiQuotaOverrideRoutes } from './routes/ai-quota-overrides.ts';
import { aiUsageRoutes } from './routes/ai-usage.ts';
import { aliasRoutes } from './routes/aliases.ts';
import { bootstrapRoutes } from './routes/bootstrap.ts';
import { bulkResolveRoutes } from './routes/bulk-resolve.ts';
import { conflictSuggestionRoutes } from './routes/conflict-suggestion.ts';
import { grantRoutes } from './routes/grants.ts';
import { healthHistoryRoutes } from './routes/health-history.ts';
import { historyRoutes } from './routes/history.ts';
import { handleIntegrations } from './routes/integrations.ts';
import { keyRoutes } from './routes/keys.ts';
import { linkSettingsRoutes } from './routes/link-settings.ts';
import { linkRoutes } from './routes/links.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { statsRoutes } from './routes/stats.ts';
import { systemRoutes } from './routes/system.ts';

/** Every authenticated `/api/v1` route (the OpenAPI document is checked against `router.list()`). */
export function createStatusApiRouter(ctx: AppContext): Router<Caller> {
  const router = new Router<Caller>();
  linkRoutes(router, ctx);
  linkSettingsRoutes(router, ctx);
  bootstrapRoutes(router, ctx);
  historyRoutes(router, ctx);
  bulkResolveRoutes(router, ctx);
  conflictSuggestionRoutes(router, ctx);
  systemRoutes(router, ctx);
  statsRoutes(router, ctx);
  healthHistoryRoutes(router, ctx);
  notificationRoutes(router, ctx);
  aliasRoutes(router, ctx);
  keyRoutes(router, ctx);
  grantRoutes(router, ctx);
  aiCallRoutes(router, ctx);
  aiQuotaOverrideRoutes(router, ctx);
  aiUsageRoutes(router, ctx);
  return router;
}

/**
 * The status API: `/api/v1/...` (bearer auth, per-key rate limit), the OpenAPI document and the
 * dashboard. Everything under `/api/` but the OpenAPI document and the OAuth callback (which the
 * browser reaches with its single-use state instead of a bearer) is authenticated before its route
 * is matched, so an anonymous caller learns nothing but 401: not which paths exist (404) nor which
 * methods they take (405 with Allow). Failed tokens are throttled per client address.
 */
export function createStatusApiHandler(
  ctx: AppContext,
  limiter = new RateLimiter(),
  throttle = new AuthThrottle(),
  /** What answers outside /api/ (the dashboard page, which the edge passes in); 404 without it. */
  pages: HttpHandler = async () => {
    throw new AppError('not_found', 'Not found');
  },
): HttpHandler {
  const router = createStatusApiRouter(ctx);

  return async (req) => {
    const logger = ctx.logger.child({ traceId: traceIdFromHeaders(req.headers), path: req.path });
    try {
      if (req.path === '/healthz' || req.path === '/api/v1/openapi.json') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(['GET']);
        return req.path === '/healthz'
          ? json(200, { status: 'ok' })
          : json(200, openApiDocument(ctx.config.urls.api));
      }
      if (req.path === '/metrics') return await serveMetrics(ctx, req, throttle);
      if (!req.path.startsWith('/api/')) return await pages(req);
      const callback = req.method === 'GET' && req.path.replace(/\/$/, '') === CALLBACK_PATH;
      // The integration routes authenticate again themselves: the same verdict, looked up once.
      const caller = callback ? undefined : await authenticate(ctx, req, throttle);
      if (req.path.startsWith('/api/integrations/')) return await handleIntegrations(ctx, req, limiter);
      if (!caller) throw new AppError('internal', 'unauthenticated request reached the router');
      limiter.take(caller.keyId, caller.tier);
      const { handler, params } = router.match(req.method, req.path);
      return await handler(req, params, caller);
    } catch (err) {
      logRequestError(logger, err, { method: req.method });
      return errorResponse(err);
    }
  };
}
