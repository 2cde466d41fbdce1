import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { allLinks, COLLECTIONS } from '../records/index.ts';
import { pendingSync, queueSync } from '../sync/queue-sync.ts';
import { claimMarker, markerId, releaseMarker } from './markers.ts';

export interface ReconcileResult {
  runId: string;
  /** True when this run id was already completed (a redelivered job message): nothing was queued. */
  duplicate: boolean;
  queued: number;
  paused: number;
  /** Links this run had already queued before a redelivery. */
  alreadyQueued: number;
  /** Links with a sync already queued and not started (it reads both sides when it runs). */
  pending: number;
  /** Links beyond `maxLinks` (left to the next run). */
  deferred: number;
}

export interface ReconcileOptions {
  /** Most syncs one run queues (default 5000). */
  maxLinks?: number;
}

/** Job run markers outlive any redelivery of the job's message (Pub/Sub retains for 7 days at most). */
const RUN_MARKER_TTL_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * Queues a `schedule` sync for every link that is not paused and has no sync waiting to start, to
 * catch webhooks and notifications that never arrived. A marker per (run, link) makes a redelivered job message queue only what the
 * first delivery did not; a run marker short-cuts a run that already completed.
 */
export async function reconcileLinks(
  ctx: AppContext,
  runId: string,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const result: ReconcileResult = {
    runId,
    duplicate: false,
    queued: 0,
    paused: 0,
    alreadyQueued: 0,
    pending: 0,
    deferred: 0,
  };
  const runMarker = markerId('job', 'reconcile', runId);
  if (!(await claimMarker(ctx, runMarker, { job: 'reconcile', done: false }, RUN_MARKER_TTL_MS))) {
    const existing = await ctx.state.get<{ done?: boolean }>(COLLECTIONS.idempotency, runMarker);
    if (existing?.data.done === true) return { ...result, duplicate: true };
  }

  const maxLinks = options.maxLinks ?? 5000;
  let failures = 0;
  for (const { data: link } of await allLinks(ctx.state)) {
    if (link.status === 'paused') {
      result.paused += 1;
      continue;
    }
    if (result.queued >= maxLinks) {
      result.deferred += 1;
      continue;
    }
    const linkMarker = markerId('reconcile', runId, link.id);
    if (!(await claimMarker(ctx, linkMarker, { job: 'reconcile', linkId: link.id }, RUN_MARKER_TTL_MS))) {
      result.alreadyQueued += 1;
      continue;
    }
    try {
      if (await pendingSync(ctx, link.id)) {
        result.pending += 1;
        continue;
      }
      await queueSync(ctx, link, { trigger: 'schedule' });
      result.queued += 1;
    } catch (err) {
      failures += 1;
      ctx.logger.warn('reconcile could not queue a sync', { linkId: link.id, error: err });
      await releaseMarker(ctx, linkMarker);
    }
  }
  if (result.deferred > 0) {
    ctx.logger.warn('reconcile reached its per-run limit', { maxLinks, deferred: result.deferred });
  }
  if (failures > 0) {
    // Nack: the redelivery queues only the links whose marker was released.
    throw new AppError('unavailable', `Reconcile could not queue ${failures} sync(s); will retry`);
  }
  await ctx.state.set(
    COLLECTIONS.idempotency,
    runMarker,
    { job: 'reconcile', done: true, ...result, at: ctx.now().toISOString() },
    { expireAt: new Date(ctx.now().getTime() + RUN_MARKER_TTL_MS) },
  );
  return result;
}
