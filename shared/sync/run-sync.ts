import { tenantCredentials } from '../access/index.ts';
import type { AppContext } from '../context/index.ts';
import { isAppError } from '../errors/index.ts';
import { notify, syncFailed } from '../notifications/index.ts';
import type { DesignProvider, RepoProvider, StoredDoc } from '../ports/index.ts';
import { findLink, type Link, type Operation } from '../records/index.ts';
import { OperationRecorder } from './operation-recorder.ts';
import { recordFailure } from './run-record.ts';
import { recordRunMetrics } from './sync-metrics.ts';
import { syncOnce } from './sync-once.ts';
import type { SyncOptions } from './sync-options.ts';

export type { SyncOptions } from './sync-options.ts';

const MAX_DESIGN_RACES = 3;

/**
 * Runs one sync of one link (see `syncOnce` for the order of effects, which makes a crash anywhere
 * converge on the next delivery). A failure a retry may fix is recorded as a failed attempt and
 * thrown, so the message is delivered again; a final failure is recorded with the link's `error`
 * status in one transaction before the message is let go.
 */
export async function runSync(
  ctx: AppContext,
  linkId: string,
  options: SyncOptions,
): Promise<Operation | undefined> {
  const linkDoc = await findLink(ctx.state, linkId);
  if (!linkDoc) {
    ctx.logger.warn('sync for a deleted link skipped', { linkId });
    return undefined;
  }
  const recorder = await OperationRecorder.begin(ctx, linkDoc.data, options);
  if (!recorder) return undefined; // a redelivered request for a run that already finished
  // Every line logged during the run, by any logger (the providers' too), names the operation and
  // the trace of the request that asked for it: one webhook can be followed to its commit.
  const fields = {
    linkId,
    operationId: recorder.id,
    ...(options.traceId ? { traceId: options.traceId } : {}),
  };
  return ctx.logger.scope(fields, async () => {
    const op = await runRecorded(ctx, linkDoc, options, recorder);
    ctx.logger.info('sync finished', {
      status: op.status,
      outcome: op.outcome,
      durationMs: op.durationMs,
      apiCalls: op.apiCalls,
      ...(op.commitSha ? { commitSha: op.commitSha } : {}),
      ...(op.pullRequest ? { pullRequest: op.pullRequest } : {}),
      ...(op.error ? { error: op.error.code } : {}),
    });
    return op;
  });
}

async function runRecorded(
  ctx: AppContext,
  linkDoc: StoredDoc<Link>,
  options: SyncOptions,
  recorder: OperationRecorder,
): Promise<Operation> {
  const { logger } = ctx;
  const registry = await ctx.providers();
  let repo: RepoProvider | undefined;
  let design: DesignProvider | undefined;
  let repoCalls0 = 0;
  let designCalls0 = 0;
  const calls = () => ({
    ...(repo ? { [repo.kind]: repo.callCount() - repoCalls0 } : {}),
    ...(design ? { [design.kind]: design.callCount() - designCalls0 } : {}),
  });
  try {
    const credentials = await tenantCredentials(ctx, linkDoc.data);
    repo = registry.repo(linkDoc.data.repo, credentials);
    design = registry.design(linkDoc.data.design, credentials);
    repoCalls0 = repo.callCount();
    designCalls0 = design.callCount();
    for (let race = 1; ; race++) {
      try {
        const op = await syncOnce(ctx, linkDoc, options, recorder, { repo, design, calls });
        recordRunMetrics(ctx.metrics, op, options, ctx.now());
        return op;
      } catch (err) {
        // The design changed between our read and our write: read again and merge again.
        if (!isAppError(err) || err.code !== 'design_changed' || race >= MAX_DESIGN_RACES) throw err;
        logger.info('design changed during the sync; merging again', { race });
        await recorder.step('design changed meanwhile; merging again');
      }
    }
  } catch (err) {
    const appError = isAppError(err) ? err : undefined;
    // A retry cannot fix it: the run is recorded as failed and the message acknowledged.
    const permanent = appError !== undefined && !appError.retryable;
    const error = { code: appError?.code ?? 'internal', message: appError?.message ?? 'Internal error' };
    const gaveUp = !permanent && isLastAttempt(options, recorder.attempt);
    logger[permanent ? 'warn' : 'error']('sync failed', { error: err, permanent, gaveUp });
    if (!permanent && !gaveUp) {
      recordRunMetrics(ctx.metrics, recorder.draft('failed', { error }), options, ctx.now(), true);
      await recorder.attemptFailed(error, { apiCalls: calls() });
      throw err; // nacked: redelivered after backoff
    }
    if (gaveUp) {
      await recorder.step(
        `gave up on the last attempt (${error.code}); replaying the dead letter runs it again`,
      );
    }
    const op = recorder.draft('failed', { error, apiCalls: calls(), ...(gaveUp ? { gaveUp } : {}) });
    // Throws when the record cannot be written: the message is then delivered again.
    await recordFailure(ctx, linkDoc.id, op);
    recorder.committed(op);
    recordRunMetrics(ctx.metrics, op, options, ctx.now());
    await notify(ctx, syncFailed(linkDoc.data, op));
    if (permanent) return op;
    throw err; // the last attempt: the message goes to the dead letters
  }
}

/**
 * Whether this delivery is the message's last. Without the deliverer's count the operation's is
 * used: one attempt is recorded per delivery that reached the run (a delivery that failed before,
 * say reading the link, is not counted, so the count can only lag and give up late, never early).
 */
function isLastAttempt(options: SyncOptions, recorded: number): boolean {
  const max = options.delivery?.maxAttempts;
  if (max === undefined) return false;
  return (options.delivery?.attempt ?? recorded) >= max;
}
