import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import type { HttpRequest, HttpResponse } from '../http/index.ts';
import { hashSecret, sameHash } from './api-keys.ts';
import type { AuthThrottle } from './auth-throttle.ts';
import { authenticate } from './authenticate.ts';

/** Prometheus' text exposition format, version 0.0.4 (what every scraper accepts). */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * `GET /metrics`: every series in Prometheus text, for the scrape token (BRIDGE_METRICS_TOKEN) or
 * the admin token; 401 for anyone else, like the API (a tenant's key: 403, the figures are the
 * whole instance's). 404 where this process exports to Cloud Monitoring instead.
 */
export async function serveMetrics(
  ctx: AppContext,
  req: HttpRequest,
  throttle: AuthThrottle,
): Promise<HttpResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new AppError('method_not_allowed', 'Method not allowed; use GET', { headers: { allow: 'GET' } });
  }
  const scrapeToken = ctx.config.BRIDGE_METRICS_TOKEN;
  const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const scraper =
    scrapeToken !== undefined &&
    presented !== undefined &&
    sameHash(hashSecret(presented), hashSecret(scrapeToken));
  if (!scraper) {
    const caller = await authenticate(ctx, req, throttle);
    if (!caller.admin)
      throw new AppError('forbidden', 'Metrics are for the admin token or BRIDGE_METRICS_TOKEN');
  }
  const text = ctx.metrics.prometheusText();
  if (!text) throw new AppError('not_found', 'This deployment exports its metrics to Cloud Monitoring');
  return { status: 200, headers: { 'content-type': PROMETHEUS_CONTENT_TYPE }, body: await text };
}
