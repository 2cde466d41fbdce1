import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import { CONFLICT_KINDS } from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { COLLECTIONS, type ConflictRecord, getLink, queryPage } from '../../records/index.ts';
import { queueSync } from '../../sync/queue-sync.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { readJson } from '../validate.ts';
import { settleConflict } from './history.ts';

export const BulkResolveBody = z
  .object({
    take: z
      .enum(['design', 'definitions'])
      .describe(
        'Each conflict is settled with that side’s value. For a removal the side that removed the ' +
          'service (its value is null) deletes it everywhere; the side that kept it keeps it everywhere.',
      ),
    kind: z
      .enum(CONFLICT_KINDS)
      .optional()
      .describe('Only conflicts of this kind (removal, field, version, add-add); all open ones without it'),
  })
  .strict();
type BulkResolveBody = z.infer<typeof BulkResolveBody>;

export const BulkResolveResult = z.object({
  take: z.enum(['design', 'definitions']),
  kind: z.enum(CONFLICT_KINDS).optional(),
  /** Open conflicts this request went through. */
  matched: z.number().int(),
  settled: z.number().int(),
  /** Settled by someone else between the read and the write. */
  skipped: z.number().int(),
  failed: z.number().int(),
  /** The first failures, with the reason (a value the service schema refuses, for example). */
  errors: z.array(z.object({ conflictId: z.string(), code: z.string(), message: z.string() })),
  /** Matching conflicts still open afterwards: the failed ones, and any past the per-request limit. */
  remaining: z.number().int(),
  /** The one sync queued to write the decisions (absent when nothing was settled). */
  operationId: z.string().optional(),
});
type BulkResolveResult = z.infer<typeof BulkResolveResult>;

/** Conflicts read per page, settled this many at a time (one transaction each), and at most per request. */
const PAGE_SIZE = 100;
const CONCURRENCY = 8;
export const BULK_RESOLVE_LIMIT = 5_000;
const MAX_ERRORS_SHOWN = 20;

/**
 * Settles every open conflict of the link (of one kind) with one side, page by page, each through
 * `settleConflict` so its checks apply per conflict. The walk follows page tokens (newest first), so
 * a conflict that cannot be settled is passed over, not read again.
 */
export async function settleAllConflicts(
  ctx: AppContext,
  linkId: string,
  body: BulkResolveBody,
): Promise<Omit<BulkResolveResult, 'operationId'>> {
  const where: Array<[string, '==', string]> = [
    ['linkId', '==', linkId],
    ['state', '==', 'open'],
  ];
  if (body.kind) where.push(['kind', '==', body.kind]);
  const result = {
    take: body.take,
    ...(body.kind ? { kind: body.kind } : {}),
    matched: 0,
    settled: 0,
    skipped: 0,
    failed: 0,
    errors: [] as BulkResolveResult['errors'],
    remaining: 0,
  };
  let pageToken: string | undefined;
  do {
    const pageSize = Math.min(PAGE_SIZE, BULK_RESOLVE_LIMIT - result.matched);
    const page = await queryPage<ConflictRecord>(
      ctx.state,
      COLLECTIONS.conflicts,
      { where, orderBy: { field: 'createdAt', direction: 'desc' } },
      { pageSize, pageToken },
    );
    result.matched += page.items.length;
    for (let i = 0; i < page.items.length; i += CONCURRENCY) {
      await Promise.all(
        page.items.slice(i, i + CONCURRENCY).map(async (doc) => {
          try {
            await settleConflict(ctx, linkId, doc.id, { take: body.take });
            result.settled += 1;
          } catch (err) {
            if (!(err instanceof AppError) || err.status >= 500) throw err;
            if (err.code === 'conflict') result.skipped += 1;
            else {
              result.failed += 1;
              if (result.errors.length < MAX_ERRORS_SHOWN)
                result.errors.push({ conflictId: doc.id, code: err.code, message: err.message });
            }
          }
        }),
      );
    }
    pageToken = page.nextPageToken;
  } while (pageToken && result.matched < BULK_RESOLVE_LIMIT);
  result.remaining = await ctx.state.count(COLLECTIONS.conflicts, { where });
  return result;
}

export function bulkResolveRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('POST', '/api/v1/links/{id}/conflicts/resolve', async (req, { id }, caller) => {
    const body = await readJson(req, BulkResolveBody);
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const result: BulkResolveResult = await settleAllConflicts(ctx, link.id, body);
    if (result.settled > 0) {
      const operation = await queueSync(ctx, link.data, { trigger: 'conflict-resolution' });
      result.operationId = operation.id;
    }
    return json(200, result);
  });
}
