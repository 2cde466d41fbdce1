import type { AppContext } from '../app/index.ts';
import type { DriftReport } from '../domain/index.ts';
import { COLLECTIONS, type Link, type LinkStatus, type Operation } from '../links/index.ts';
import type { StoredDoc } from '../ports/index.ts';
import { commitState } from './commit-state.ts';

/**
 * What a link shows after a run that finished: its latest run decides, whatever an earlier one said
 * (a fixed fault is no longer an `error`). Paused stays paused.
 */
export function statusAfterRun(
  link: Pick<Link, 'status'>,
  after: { openConflicts: number; proposalWaiting: boolean; failed?: boolean; changesWaiting?: boolean },
): LinkStatus {
  if (link.status === 'paused') return 'paused';
  if (after.failed) return 'error';
  if (after.openConflicts > 0) return 'conflict';
  if (after.proposalWaiting || after.changesWaiting) return 'out_of_sync';
  return 'synced';
}

export function lastSyncOf(op: Operation): NonNullable<Link['lastSync']> {
  return {
    operationId: op.id,
    at: op.finishedAt ?? op.startedAt ?? op.queuedAt,
    result: op.outcome ?? op.status,
    ...(op.error ? { error: op.error.message } : {}),
  };
}

/**
 * Records a run that wrote nothing to either side — nothing to do, report-only, blocked by a guard, a
 * dry run — with the link's status, `lastSync` and drift, in one guarded transaction. A dry run is a
 * preview: only its operation is recorded, the link shows what the last real run left.
 */
export async function recordWithoutWrites(
  ctx: Pick<AppContext, 'state'>,
  link: StoredDoc<Link>,
  op: Operation,
  outcome: { drift?: DriftReport; blocked?: boolean; changesWaiting?: boolean; now: string },
): Promise<void> {
  if (op.dryRun) {
    await ctx.state.set(COLLECTIONS.operations, op.id, JSON.parse(JSON.stringify(op)));
    return;
  }
  const { data } = link;
  await commitState(ctx.state, {
    linkId: link.id,
    linkVersion: link.version,
    link: {
      status: statusAfterRun(data, {
        openConflicts: data.openConflicts ?? 0,
        proposalWaiting: data.pendingPullRequest !== undefined || data.declinedProposal !== undefined,
        failed: outcome.blocked === true,
        changesWaiting: outcome.changesWaiting === true,
      }),
      lastSync: lastSyncOf(op),
      ...(outcome.drift ? { drift: outcome.drift.summary } : {}),
    },
    operation: op,
    conflicts: [],
    issues: new Map(),
    appliedConflictIds: [],
    supersededConflictIds: [],
    ...(outcome.drift ? { drift: outcome.drift } : {}),
    now: outcome.now,
  });
}

/**
 * Records a run that failed for good (or gave up on its last attempt) and the link's `error` status
 * in one transaction. Throws when that write fails: the request is then delivered again, so a
 * failure is never left half-recorded.
 */
export async function recordFailure(
  ctx: Pick<AppContext, 'state' | 'now'>,
  linkId: string,
  op: Operation,
): Promise<void> {
  await ctx.state.runTransaction(async (tx) => {
    const doc = await tx.get<Link>(COLLECTIONS.links, linkId);
    tx.set(COLLECTIONS.operations, op.id, JSON.parse(JSON.stringify(op)));
    if (!doc || op.dryRun) return; // deleted meanwhile, or a preview: only the operation is kept
    tx.update(
      COLLECTIONS.links,
      linkId,
      {
        ...doc.data,
        status: statusAfterRun(doc.data, { openConflicts: 0, proposalWaiting: false, failed: true }),
        lastSync: lastSyncOf(op),
        updatedAt: ctx.now().toISOString(),
      },
      { ifVersion: doc.version },
    );
  });
}
