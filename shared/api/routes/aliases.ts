import type { AppContext } from '../../context/index.ts';
import { AppError } from '../../errors/index.ts';
import type { HttpRequest } from '../../http/index.ts';
import { json } from '../../http/index.ts';
import type { StoredDoc } from '../../ports/index.ts';
import { COLLECTIONS, type ConflictRecord, getLink, type Link, listLinks } from '../../records/index.ts';
import { queueSync } from '../../sync/queue-sync.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { readJson } from '../validate.ts';
import { ResolveAllBody, settleConflict } from './history.ts';

interface BaseDoc {
  services?: Array<{ id: string } & Record<string, unknown>>;
  designExport?: unknown;
}

/** The link an alias acts on: `?link=<id>`, or the caller's only link. */
async function scopedLink(ctx: AppContext, req: HttpRequest, caller: Caller): Promise<StoredDoc<Link>> {
  const id = req.query.get('link');
  if (id) return getLink(ctx.state, caller.tenant, id);
  const page = await listLinks(ctx.state, caller.tenant, { pageSize: 2 });
  const [only, second] = page.items;
  if (!only) throw new AppError('not_found', 'No link yet: create one with POST /api/v1/links');
  if (second) throw new AppError('bad_request', 'Several links exist: say which with ?link=<id>');
  return getLink(ctx.state, caller.tenant, only.id);
}

async function base(ctx: AppContext, linkId: string): Promise<BaseDoc> {
  return (await ctx.state.get<BaseDoc>(COLLECTIONS.bases, linkId))?.data ?? {};
}

/**
 * The original spec's routes, kept as thin aliases over the v1 API. Service and visualization reads
 * answer from the last synced snapshot (what both sides agreed on), not from a live provider read.
 */
export function aliasRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/services/github', async (req, _p, caller) => {
    const link = await scopedLink(ctx, req, caller);
    return json(200, { linkId: link.id, services: (await base(ctx, link.id)).services ?? [] });
  });
  router.add('GET', '/api/v1/services/github/{id}', async (req, { id }, caller) => {
    const link = await scopedLink(ctx, req, caller);
    const service = (await base(ctx, link.id)).services?.find((s) => s.id === id);
    if (!service) throw new AppError('not_found', `Service ${id} not found`);
    return json(200, service);
  });
  router.add('GET', '/api/v1/visualizations/aistudio', async (req, _p, caller) => {
    const link = await scopedLink(ctx, req, caller);
    return json(200, {
      linkId: link.id,
      design: link.data.design,
      revision: link.data.positions.designRevision ?? null,
      status: link.data.status,
    });
  });
  router.add('GET', '/api/v1/visualizations/aistudio/export', async (req, _p, caller) => {
    const link = await scopedLink(ctx, req, caller);
    const exported = (await base(ctx, link.id)).designExport;
    if (!exported) throw new AppError('not_found', 'Nothing synced yet for this link');
    return json(200, exported);
  });

  const queue = (path: string, direction: 'both' | 'design-to-definitions' | 'definitions-to-design') =>
    router.add('POST', path, async (req, _p, caller) => {
      const link = await scopedLink(ctx, req, caller);
      const op = await queueSync(ctx, link.data, { trigger: 'api', direction });
      return json(202, { operationId: op.id, status: op.status });
    });
  queue('/api/v1/services/github/sync', 'definitions-to-design');
  queue('/api/v1/visualizations/aistudio/update', 'definitions-to-design');
  queue('/api/v1/sync/bidirectional', 'both');

  router.add('GET', '/api/v1/sync/status', async (req, _p, caller) => {
    const link = await scopedLink(ctx, req, caller);
    const { status, positions, lastSync, drift, openConflicts } = link.data;
    return json(200, { linkId: link.id, status, positions, lastSync, drift, openConflicts });
  });
  router.add('GET', '/api/v1/sync/history', async (req, _p, caller) => {
    const link = await scopedLink(ctx, req, caller);
    const ops = await ctx.state.query(COLLECTIONS.operations, {
      where: [['linkId', '==', link.id]],
      orderBy: { field: 'queuedAt', direction: 'desc' },
      limit: 50,
    });
    return json(200, { linkId: link.id, items: ops.map((o) => o.data) });
  });
  router.add('POST', '/api/v1/sync/resolve-conflicts', async (req, _p, caller) => {
    const link = await scopedLink(ctx, req, caller);
    const body = await readJson(req, ResolveAllBody);
    const ids = body.conflictId
      ? [body.conflictId]
      : (
          await ctx.state.query<ConflictRecord>(COLLECTIONS.conflicts, {
            where: [
              ['linkId', '==', link.id],
              ['state', '==', 'open'],
            ],
          })
        ).map((d) => d.id);
    const settled = [];
    for (const id of ids) settled.push(await settleConflict(ctx, link.id, id, body));
    const op =
      settled.length > 0 ? await queueSync(ctx, link.data, { trigger: 'conflict-resolution' }) : undefined;
    return json(200, { settled, operationId: op?.id ?? null });
  });
}
