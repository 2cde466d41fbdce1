import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import { type RunSample, summarizeRuns } from '../../domain/index.ts';
import { json } from '../../http/index.ts';
import type { WhereOp } from '../../ports/index.ts';
import { COLLECTIONS, findLink, getLink, type Operation } from '../../records/index.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, queryParam } from '../validate.ts';

/** At most this many runs are read for one answer (newest first); `truncated` says when there were more. */
export const STATS_MAX_RUNS = 5000;
const MAX_BUCKETS = 500;
export const STATS_BUCKET_MINUTES = [5, 15, 60, 360, 1440] as const;

const Hours = z.coerce.number().int().min(1).max(744).default(24);
const BucketMinutes = z
  .enum(STATS_BUCKET_MINUTES.map(String) as [string, ...string[]])
  .transform(Number)
  .optional();
const LinkParam = z.string().min(1).max(100).optional();

const Latency = { p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() };
const Figures = {
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  conflicted: z.number().int(),
  ...Latency,
};
/** `GET /api/v1/stats`: the OpenAPI component `SyncStats`; the API tests validate real answers with it. */
export const SyncStatsResponse = z.object({
  from: z.string(),
  to: z.string(),
  bucketMinutes: z.number().int(),
  /** The link the figures are about; absent for all of the caller's links (every tenant's for the admin). */
  linkId: z.string().optional(),
  totals: z.object({
    ...Figures,
    inFlight: z.number().int(),
    successRate: z.number().min(0).max(1).nullable(),
    conflictRate: z.number().min(0).max(1).nullable(),
  }),
  errors: z.array(z.object({ code: z.string(), count: z.number().int() })),
  buckets: z.array(z.object({ start: z.string(), ...Figures })),
  /** More runs than were read: the figures cover only the newest ones, queued since `coveredSince`. */
  truncated: z.boolean(),
  coveredSince: z.string().optional(),
});

/** The smallest bucket that keeps the chart under MAX_BUCKETS points. */
function defaultBucket(hours: number): number {
  return STATS_BUCKET_MINUTES.find((m) => (hours * 60) / m <= MAX_BUCKETS / 2) ?? 1440;
}

export function statsRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/stats', async (req, _p, caller) => {
    const hours = queryParam(req, 'hours', Hours);
    const bucketMinutes = queryParam(req, 'bucketMinutes', BucketMinutes) ?? defaultBucket(hours);
    if ((hours * 60) / bucketMinutes > MAX_BUCKETS) {
      throw fieldError(
        'bucketMinutes',
        `at most ${MAX_BUCKETS} buckets: use a larger bucket for ${hours} hours`,
      );
    }
    const linkId = queryParam(req, 'link', LinkParam);
    const where: Array<[string, WhereOp, string]> = [];
    if (linkId) {
      // Another tenant's link is a 404; the admin, whose figures cover every tenant, may name any link.
      const link =
        (caller.admin ? await findLink(ctx.state, linkId) : undefined) ??
        (await getLink(ctx.state, caller.tenant, linkId));
      where.push(['linkId', '==', link.id]);
    }
    // The admin's figures are the instance's; a tenant's are its own links' only.
    else if (!caller.admin) where.push(['tenant', '==', caller.tenant]);

    const to = ctx.now();
    const from = new Date(to.getTime() - hours * 3_600_000);
    const docs = await ctx.state.query<Operation>(COLLECTIONS.operations, {
      where: [...where, ['queuedAt', '>=', from.toISOString()]],
      orderBy: { field: 'queuedAt', direction: 'desc' },
      limit: STATS_MAX_RUNS + 1,
    });
    const truncated = docs.length > STATS_MAX_RUNS;
    const runs: RunSample[] = docs.slice(0, STATS_MAX_RUNS).map((d) => d.data);
    const summary = summarizeRuns(runs, { from, to, bucketMinutes });
    const oldest = runs.at(-1)?.queuedAt;
    return json(200, {
      ...summary,
      ...(linkId ? { linkId } : {}),
      truncated,
      ...(truncated && oldest ? { coveredSince: oldest } : {}),
    } satisfies z.input<typeof SyncStatsResponse>);
  });
}
