import type { AppContext } from '../context/index.ts';
import type { DriftReport } from '../domain/index.ts';
import { conflictOpened, driftFound, notify, syncFailed } from '../notifications/index.ts';
import type { Operation } from '../records/index.ts';
import type { CommitResult } from './commit-state.ts';

/**
 * After a run is durably recorded: the conflicts it opened, drift that grew, and a guard's refusal
 * are queued as notifications. Never throws (notify does not): the run is already done.
 */
export async function notifyRun(
  ctx: AppContext,
  result: CommitResult,
  op: Operation,
  drift: DriftReport | undefined,
): Promise<void> {
  const link = result.linkBefore;
  await notify(ctx, [
    ...(op.status === 'failed' ? [syncFailed(link, op)] : []),
    ...result.opened.map((c) => conflictOpened(link, c)),
    drift ? driftFound(link, drift, op.finishedAt ?? ctx.now().toISOString()) : undefined,
  ]);
}
