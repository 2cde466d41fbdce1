import type { AppContext } from '../../context/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import type { DeliveryOutcome } from '../../ingress/index.ts';
import { COLLECTIONS, type Link } from '../../records/index.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, paging, withPageToken } from '../validate.ts';
import { integrationsSummary } from './health-history.ts';

async function check<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: err instanceof AppError ? err.message : 'unavailable' };
  }
}

export function systemRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/health', async (_req, _p, caller) => {
    // A tenant sees what serves its own links; the instance-wide parts are the admin's.
    if (!caller.admin) return json(...(await tenantHealth(ctx, caller.tenant)));
    const scheduler = import('../../scheduler/index.ts');
    const [state, bus, channels, recovery, feed, integrations] = await Promise.all([
      check(() => ctx.state.ping()),
      check(async () => (ctx.bus ? ctx.bus.stats() : { mode: 'pubsub-push' })),
      check(async () => (await ctx.state.query(COLLECTIONS.channels, { limit: 1000 })).length),
      check(async () => (await scheduler).lastRecovery(ctx)),
      check(async () => (await scheduler).drivePosition(ctx)),
      integrationsSummary(ctx, undefined),
    ]);
    const healthy = state.ok && bus.ok;
    return json(healthy ? 200 : 503, {
      status: healthy ? 'ok' : 'degraded',
      backend: ctx.config.BRIDGE_BACKEND,
      stateStore: state.ok ? { ok: true } : state,
      bus: bus.ok ? { ok: true, ...bus.value } : bus,
      driveChannels: channels.ok ? { ok: true, count: channels.value } : channels,
      deliveryRecovery: recovery.ok ? (recovery.value ?? { status: 'not run yet' }) : recovery,
      // When the drive-changes job last moved through the Drive changes feed (its page token stays private).
      driveChangesFeed: feed.ok
        ? feed.value
          ? { savedAt: feed.value.savedAt }
          : { status: 'not started (no Drive link, or no Google credentials)' }
        : feed,
      providers: ctx.resilience.status(),
      ai: await aiHealth(ctx),
      // Each link's integrations as the 5-minute health job last found them (GET /api/v1/health/history).
      integrations,
    });
  });

  router.add('GET', '/api/v1/deliveries', async (req, _p, caller) => {
    requireAdmin(caller, 'Deliveries are per webhook, not per tenant');
    const { DELIVERY_OUTCOMES, listDeliveries } = await import('../../ingress/index.ts');
    const outcome = req.query.get('outcome') ?? undefined;
    if (outcome !== undefined && !(DELIVERY_OUTCOMES as readonly string[]).includes(outcome)) {
      throw fieldError('outcome', `one of ${DELIVERY_OUTCOMES.join(', ')}`);
    }
    const page = { ...paging(req), outcome: outcome as DeliveryOutcome | undefined };
    return json(200, await withPageToken(page, () => listDeliveries(ctx, page)));
  });

  router.add('GET', '/api/v1/deliveries/{deliveryId}', async (_req, { deliveryId }, caller) => {
    requireAdmin(caller, 'Deliveries are per webhook, not per tenant');
    const { getDelivery } = await import('../../ingress/index.ts');
    const delivery = await getDelivery(ctx, deliveryId ?? '');
    if (!delivery) throw new AppError('not_found', `Delivery ${deliveryId} not found`);
    return json(200, delivery);
  });

  router.add('GET', '/api/v1/dead-letters', async (req, _p, caller) => {
    requireAdmin(caller);
    const deadLetters = requireDeadLetters(ctx);
    const { pageSize: limit, pageToken } = paging(req);
    if (deadLetters.pageable === false) {
      if (pageToken) throw fieldError('pageToken', 'dead letters are listed in one page here');
      return json(200, { items: await deadLetters.listDeadLetters({ limit }) });
    }
    const items = await deadLetters.listDeadLetters({
      limit: limit + 1,
      ...(pageToken ? { startAfterId: pageToken } : {}),
    });
    const page = items.slice(0, limit);
    const last = page.at(-1);
    return json(
      200,
      items.length > limit && last ? { items: page, nextPageToken: last.id } : { items: page },
    );
  });

  router.add('POST', '/api/v1/dead-letters/{id}/replay', async (_req, { id }, caller) => {
    requireAdmin(caller);
    const deadLetters = requireDeadLetters(ctx);
    if (!(await deadLetters.replayDeadLetter(id ?? '')))
      throw new AppError('not_found', `Dead letter ${id} not found`);
    return json(202, { replayed: id });
  });
}

/** The AI layer's circuits and measured latency per provider (instance-wide; no tenant data). */
async function aiHealth(ctx: AppContext): Promise<unknown> {
  const ai = await check(() => ctx.ai());
  if (!ai.ok) return ai;
  return ai.value ? ai.value.status() : { enabled: false, reason: 'no AI provider key is set' };
}

function requireAdmin(caller: Caller, why = 'Dead letters span every tenant'): void {
  if (!caller.admin) throw new AppError('forbidden', `${why}; use the admin token`);
}

function requireDeadLetters(ctx: AppContext) {
  if (!ctx.deadLetters) throw new AppError('unavailable', 'This deployment has no dead-letter queue to read');
  return ctx.deadLetters;
}

/**
 * Health as a tenant sees it: whether the state store and the bus answer (not their counts), its own
 * Drive channels, and only the circuits, write pacing and rate limits that serve its own links'
 * repositories and designs. Other tenants' entries (their installations, their accounts) stay hidden.
 */
async function tenantHealth(ctx: AppContext, tenant: string): Promise<[number, Record<string, unknown>]> {
  const [{ repoScope, designScope }, { githubHostFromApiUrl, parseDesignUrl, parseRepoUrl }] =
    await Promise.all([import('../../resilience/index.ts'), import('../../providers/index.ts')]);
  const [state, bus, links, integrations] = await Promise.all([
    check(() => ctx.state.ping()),
    check(async () => (ctx.bus ? ctx.bus.stats() : undefined)),
    check(() => ctx.state.query<Link>(COLLECTIONS.links, { where: [['tenant', '==', tenant]], limit: 1000 })),
    integrationsSummary(ctx, tenant),
  ]);
  const own = links.ok ? links.value : [];
  const channels = await check(async () => {
    const ids = new Set(own.map((l) => l.id));
    const all = await ctx.state.query<{ linkId?: string }>(COLLECTIONS.channels, { limit: 1000 });
    return all.filter((c) => c.data.linkId !== undefined && ids.has(c.data.linkId)).length;
  });
  const scopes = new Set<string>();
  const githubHost = githubHostFromApiUrl(ctx.config.GITHUB_API_URL);
  for (const { data } of own) {
    try {
      const repo = parseRepoUrl(data.repo, { githubHost });
      if (repo.kind === 'github') scopes.add(repoScope(repo.owner, repo.repo));
      const design = parseDesignUrl(data.design);
      if (design.kind === 'drive') scopes.add(designScope(design.fileId));
    } catch {
      // A link stored under a URL form no longer accepted: it has no provider entries to show.
    }
  }
  const healthy = state.ok && bus.ok;
  return [
    healthy ? 200 : 503,
    {
      status: healthy ? 'ok' : 'degraded',
      backend: ctx.config.BRIDGE_BACKEND,
      stateStore: state.ok ? { ok: true } : state,
      bus: bus.ok ? { ok: true } : bus,
      driveChannels: channels.ok ? { ok: true, count: channels.value } : channels,
      providers: ctx.resilience.status(scopes),
      ai: await aiHealth(ctx),
      integrations,
    },
  ];
}
