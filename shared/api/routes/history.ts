import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import { CONFLICT_KINDS, RESOLVE_TAKES, type ResolveTake, resolveConflict } from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { COLLECTIONS, type ConflictRecord, getLink, type Operation, queryPage } from '../../records/index.ts';
import { queueSync } from '../../sync/queue-sync.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { paging, queryParam, readJson, withPageToken } from '../validate.ts';

const ResolveFields = z.object({
  take: z.enum(RESOLVE_TAKES),
  value: z.unknown().optional(),
});
const valueWhenTaken = (b: { take: string; value?: unknown }) => b.take !== 'value' || b.value !== undefined;
const valueMessage = { error: 'value is required when take is "value"', path: ['value'] };

export const ResolveBody = ResolveFields.strict().refine(valueWhenTaken, valueMessage);
/** For the spec's alias: one conflict (`conflictId`) or every open one. */
export const ResolveAllBody = ResolveFields.extend({ conflictId: z.string().optional() })
  .strict()
  .refine(valueWhenTaken, valueMessage);

const ConflictState = z.enum(['open', 'settled']).optional();
const ConflictKindParam = z.enum(CONFLICT_KINDS).optional();
const OperationIdParam = z.string().min(1).max(100).optional();

async function pageOf<T>(
  ctx: AppContext,
  collection: string,
  where: Array<[string, '==', string]>,
  orderField: string,
  page: { pageSize: number; pageToken?: string },
): Promise<{ items: T[]; nextPageToken?: string }> {
  const found = await withPageToken(page, () =>
    queryPage<T>(ctx.state, collection, { where, orderBy: { field: orderField, direction: 'desc' } }, page),
  );
  return { ...found, items: found.items.map((d) => d.data) };
}

export function historyRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/links/{id}/operations', async (req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    return json(
      200,
      await pageOf<Operation>(
        ctx,
        COLLECTIONS.operations,
        [['linkId', '==', link.id]],
        'queuedAt',
        paging(req),
      ),
    );
  });

  router.add('GET', '/api/v1/operations/{opId}', async (_req, { opId }, caller) => {
    const op = await ctx.state.get<Operation>(COLLECTIONS.operations, opId ?? '');
    if (!op || op.data.tenant !== caller.tenant)
      throw new AppError('not_found', `Operation ${opId} not found`);
    return json(200, op.data);
  });

  router.add('GET', '/api/v1/links/{id}/conflicts', async (req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const state = queryParam(req, 'state', ConflictState);
    const kind = queryParam(req, 'kind', ConflictKindParam);
    const operationId = queryParam(req, 'operationId', OperationIdParam);
    const where: Array<[string, '==', string]> = [['linkId', '==', link.id]];
    if (operationId) where.push(['operationId', '==', operationId]);
    if (state) where.push(['state', '==', state]);
    if (kind) where.push(['kind', '==', kind]);
    const [page, total] = await Promise.all([
      pageOf<ConflictRecord>(ctx, COLLECTIONS.conflicts, where, 'createdAt', paging(req)),
      ctx.state.count(COLLECTIONS.conflicts, { where }),
    ]);
    return json(200, { ...page, total });
  });

  router.add('POST', '/api/v1/links/{id}/conflicts/{cid}/resolve', async (req, { id, cid }, caller) => {
    const body = await readJson(req, ResolveBody);
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const conflict = await settleConflict(ctx, link.id, cid ?? '', body);
    const operation = await queueSync(ctx, link.data, { trigger: 'conflict-resolution' });
    return json(200, { conflict, operationId: operation.id });
  });

  router.add('GET', '/api/v1/links/{id}/drift', async (_req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const drift = await ctx.state.get(COLLECTIONS.drift, link.id);
    return json(200, drift?.data ?? { linkId: link.id, findings: [], computedAt: null });
  });
}

/**
 * Marks a conflict settled with the chosen value; the next sync writes that value to both sides.
 * Every route that settles a conflict comes through here: the value is checked with the schema an
 * edit meets (`resolveConflict`) and stored as that check returns it, because a value the sync's
 * guards refuse later would be written to neither side and block every sync of the link.
 */
export async function settleConflict(
  ctx: AppContext,
  linkId: string,
  conflictId: string,
  body: { take: ResolveTake; value?: unknown },
): Promise<ConflictRecord> {
  const settled = await ctx.state.runTransaction(async (tx) => {
    const doc = await tx.get<ConflictRecord>(COLLECTIONS.conflicts, conflictId);
    if (!doc || doc.data.linkId !== linkId)
      throw new AppError('not_found', `Conflict ${conflictId} not found`);
    if (doc.data.state !== 'open') {
      throw new AppError('conflict', `Conflict ${conflictId} is already settled (${doc.data.resolution})`);
    }
    const { value } = resolveConflict(doc.data, body.take, body.value);
    const next = {
      ...doc.data,
      state: 'settled' as const,
      resolution: body.take,
      value,
      applied: false,
      settledAt: ctx.now().toISOString(),
    };
    tx.update(COLLECTIONS.conflicts, doc.id, next, { ifVersion: doc.version });
    return next;
  });
  ctx.metrics.conflictSettled('manual');
  return settled;
}
