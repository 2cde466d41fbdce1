import type { AppContext } from '../context/index.ts';
import type { DriftReport, ServiceDefinition } from '../domain/index.ts';
import type { DesignSnapshot, RepoSnapshot, StoredDoc } from '../ports/index.ts';
import {
  type ChangeSummary,
  COLLECTIONS,
  type ConflictRecord,
  type Link,
  type LinkStatus,
  type Operation,
} from '../records/index.ts';
import { type CommitResult, commitState, fingerprintOf } from './commit-state.ts';
import { notifyRun } from './notify-run.ts';
import type { OperationRecorder } from './operation-recorder.ts';
import { driftOfSides, type SyncPlan } from './plan-sync.ts';
import { awaitingReview, type ReviewIssue } from './review-issue.ts';
import type { SyncOptions } from './sync-options.ts';
import { pick } from './sync-report.ts';
import type { RepoWriteResult } from './write-repo.ts';

export interface BaseDoc {
  services: ServiceDefinition[];
}

export type Conflicts = Array<StoredDoc<ConflictRecord & { applied?: boolean }>>;

/** What the state store says about the link when the run starts. */
export interface Recorded {
  link: StoredDoc<Link>;
  base: StoredDoc<BaseDoc> | undefined;
  /** Settled through the API and not written yet: this run writes them to both sides. */
  decided: Conflicts;
  open: Conflicts;
}

export interface Read {
  repo: RepoSnapshot;
  design: DesignSnapshot;
}

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
): Promise<CommitResult | undefined> {
  if (op.dryRun) {
    await ctx.state.set(COLLECTIONS.operations, op.id, JSON.parse(JSON.stringify(op)));
    return undefined;
  }
  const { data } = link;
  return commitState(ctx.state, {
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

/** Nothing moved: this run still decides what the link shows (a fixed fault is no longer an error). */
export async function recordNothingMoved(
  ctx: AppContext,
  recorder: OperationRecorder,
  calls: () => Record<string, number>,
  recorded: Recorded,
  read: Read,
): Promise<Operation> {
  const op = recorder.draft('succeeded', { outcome: 'no-changes', apiCalls: calls() });
  const drift = driftOfSides({
    architectureFiles: read.repo.architectureFiles,
    manifests: read.repo.serviceManifests,
    designText: read.design.content,
  });
  const driftMoved = JSON.stringify(drift.summary) !== JSON.stringify(recorded.link.data.drift ?? {});
  await recordWithoutWrites(ctx, recorded.link, op, { ...(driftMoved ? { drift } : {}), now: isoNow(ctx) });
  return recorder.committed(op);
}

/** Report-only, blocked by a guard, or a dry run: the plan and drift are recorded, nothing is written. */
export async function recordPlanOnly(
  ctx: AppContext,
  recorder: OperationRecorder,
  calls: () => Record<string, number>,
  recorded: Recorded,
  plan: SyncPlan,
  options: Pick<SyncOptions, 'dryRun'>,
): Promise<Operation> {
  const blocked = plan.verdict.action === 'blocked';
  const outcome = options.dryRun ? 'dry-run' : blocked ? 'blocked' : 'report-only';
  const error = blocked
    ? { code: 'guard_blocked', message: plan.verdict.findings.map((f) => f.reason).join('; ') }
    : undefined;
  const op = recorder.draft(blocked ? 'failed' : 'succeeded', {
    changes: pick(plan),
    conflicts: plan.conflicts.length,
    outcome,
    apiCalls: calls(),
    ...(error ? { error } : {}),
  });
  const result = await recordWithoutWrites(ctx, recorded.link, op, {
    drift: plan.drift,
    blocked,
    changesWaiting: plan.repoChanges.length > 0 || plan.designText !== undefined,
    now: isoNow(ctx),
  });
  if (result) await notifyRun(ctx, result, op, plan.drift);
  return recorder.committed(op);
}

/** The run's result, the link's new positions and status, the base, conflicts and drift: one transaction. */
export async function recordSync(
  ctx: AppContext,
  recorder: OperationRecorder,
  calls: () => Record<string, number>,
  recorded: Recorded,
  plan: SyncPlan,
  options: Pick<SyncOptions, 'direction'>,
  written: {
    repoResult: RepoWriteResult;
    reviewIssue: ReviewIssue | undefined;
    designRevision: string;
    summary?: ChangeSummary | undefined;
  },
): Promise<Operation> {
  const link = recorded.link.data;
  const { repoResult, reviewIssue, designRevision, summary } = written;
  const prPending = repoResult.pullRequest !== undefined && plan.repoChanges.length > 0;
  const declined = repoResult.declined !== undefined && plan.repoChanges.length > 0;
  // Changes waiting in a pull request, or declined, are not in the repository: base and drift say so.
  const landed = !(prPending || declined);
  const drift = landed ? plan.driftAfter.direct : plan.driftAfter.pending;
  const op = recorder.draft('succeeded', {
    changes: pick(plan),
    conflicts: plan.conflicts.length,
    outcome: declined
      ? 'proposal-declined'
      : plan.repoChanges.length + (plan.designText ? 1 : 0) === 0
        ? 'no-changes'
        : 'synced',
    apiCalls: calls(),
    designRevision,
    ...(repoResult.commitSha ? { commitSha: repoResult.commitSha } : {}),
    ...(repoResult.pullRequest ? { pullRequest: repoResult.pullRequest.url } : {}),
    ...(summary ? { summary } : {}),
  });
  const fingerprints = new Set(plan.conflicts.map((c) => c.fingerprint));
  const openAfter = plan.conflicts.filter((c) => c.resolution === 'open' || c.needsReview).length;
  const awaiting = awaitingReview(plan.conflicts);
  const result = await commitState(ctx.state, {
    linkId: link.id,
    linkVersion: recorded.link.version,
    link: {
      status: statusAfterRun(link, { openConflicts: openAfter, proposalWaiting: !landed }),
      positions: { ...link.positions, headSha: repoResult.branchHead, designRevision },
      lastSync: lastSyncOf(op),
      drift: drift.summary,
      pendingPullRequest: prPending ? repoResult.pullRequest : undefined,
      // Kept while the declined changes are what the design would still propose; dropped otherwise.
      declinedProposal: declined ? repoResult.declined : undefined,
      reviewIssue,
    },
    base: { services: landed ? plan.baseIfDirect : plan.baseIfPending, designExport: plan.designExport },
    operation: op,
    conflicts: plan.conflicts,
    issues: new Map(reviewIssue ? awaiting.map((c) => [c.fingerprint, reviewIssue.url]) : []),
    appliedConflictIds: recorded.decided.map((c) => c.id),
    // An open conflict that is gone means someone made the sides agree (a removal waiting for review
    // changes neither side, so it is found again until then). Recorded only by a run both ways.
    supersededConflictIds:
      options.direction === 'both'
        ? recorded.open
            .filter((c) => c.data.resolution === 'open' && !fingerprints.has(fingerprintOf(c.data)))
            .map((c) => c.id)
        : [],
    drift,
    now: isoNow(ctx),
  });
  for (const kind of result.kinds.opened) ctx.metrics.conflictOpened(kind);
  for (const policy of result.kinds.settled) ctx.metrics.conflictSettled(policy);
  await notifyRun(ctx, result, op, drift);
  return recorder.committed(op);
}

function isoNow(ctx: Pick<AppContext, 'now'>): string {
  return ctx.now().toISOString();
}
