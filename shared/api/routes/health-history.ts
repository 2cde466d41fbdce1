import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import { json } from '../../http/index.ts';
import {
  currentHealth,
  getLink,
  HealthChange,
  healthHistory,
  healthOfLinks,
  IntegrationHealth,
} from '../../records/index.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { queryParam } from '../validate.ts';

const LinkParam = z.string().min(1).max(100);
const Limit = z.coerce.number().int().min(1).max(200).default(50);

/** `GET /api/v1/health/history`: the OpenAPI component `HealthHistory`; the API tests validate answers with it. */
export const HealthHistoryResponse = z.object({
  linkId: z.string(),
  /** What the last health job found; null before the first run. */
  current: IntegrationHealth.nullable(),
  /** Changes of status, newest first (kept 90 days). */
  items: z.array(HealthChange),
});

/** Most failing links named in `/api/v1/health` (the counts cover them all). */
const MAX_FAILING_SHOWN = 50;

/** The `integrations` part of `/api/v1/health`: the caller's links by health status. */
export async function integrationsSummary(ctx: AppContext, tenant: string | undefined) {
  try {
    const all = await healthOfLinks(ctx.state, tenant);
    const count = (status: IntegrationHealth['status']) => all.filter((h) => h.status === status).length;
    const failing = all
      .filter((h) => h.status !== 'healthy')
      .sort((a, b) =>
        a.status === b.status ? a.since.localeCompare(b.since) : a.status === 'unhealthy' ? -1 : 1,
      )
      .slice(0, MAX_FAILING_SHOWN)
      .map((h) => ({
        linkId: h.linkId,
        status: h.status,
        since: h.since,
        checkedAt: h.checkedAt,
        failing: h.checks.filter((c) => c.status !== 'healthy'),
      }));
    return {
      ok: true,
      healthy: count('healthy'),
      degraded: count('degraded'),
      unhealthy: count('unhealthy'),
      failing,
    };
  } catch {
    return { ok: false, error: 'integration health could not be read' };
  }
}

export function healthHistoryRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/health/history', async (req, _p, caller) => {
    const linkId = queryParam(req, 'link', LinkParam);
    const limit = queryParam(req, 'limit', Limit);
    // Another tenant's link is a 404, like every other per-link answer.
    const link = await getLink(ctx.state, caller.tenant, linkId);
    const body: z.infer<typeof HealthHistoryResponse> = {
      linkId: link.id,
      current: (await currentHealth(ctx.state, link.id)) ?? null,
      items: await healthHistory(ctx.state, link.id, limit),
    };
    return json(200, body);
  });
}
