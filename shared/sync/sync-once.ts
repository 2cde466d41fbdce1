import type { AppContext } from '../app/index.ts';
import { type ConflictResolution, LinkPolicy, type ServiceDefinition } from '../domain/index.ts';
import {
  COLLECTIONS,
  type ConflictRecord,
  type Link,
  type Operation,
  type SyncDirection,
} from '../links/index.ts';
import type { DesignProvider, RepoProvider, StoredDoc } from '../ports/index.ts';
import { commitState } from './commit-state.ts';
import type { OperationRecorder } from './operation-recorder.ts';
import { driftOfSides, planSync } from './plan-sync.ts';
import { awaitingReview, syncReviewIssue } from './review-issue.ts';
import { lastSyncOf, recordWithoutWrites, statusAfterRun } from './run-record.ts';
import { describe, pick, pullRequestBody, reportRawRejections } from './sync-report.ts';
import { writeRepo } from './write-repo.ts';

export interface SyncOptions {
  operationId?: string | undefined;
  /** The bus message that asked for this run: an event-triggered run is continued by its redelivery. */
  messageId?: string | undefined;
  trigger: string;
  direction: SyncDirection;
  dryRun: boolean;
  /** This delivery is the message's last: a failure now dead-letters it (see BusMessage). */
  lastAttempt?: boolean;
}

interface BaseDoc {
  services: ServiceDefinition[];
}

export interface SyncSides {
  repo: RepoProvider;
  design: DesignProvider;
  /** API calls each provider made during this run so far. */
  calls: () => Record<string, number>;
}

/**
 * One pass of a sync: read both sides → plan → commit to the repository → keep the review issue →
 * write the design (only if unchanged since read) → record the run, the link and the new base in one
 * transaction guarded by the link's version. Only that transaction makes the run `succeeded`.
 */
export async function syncOnce(
  ctx: AppContext,
  linkDoc: StoredDoc<Link>,
  options: SyncOptions,
  recorder: OperationRecorder,
  sides: SyncSides,
): Promise<Operation> {
  const { repo, design, calls } = sides;
  // The link and its base are read together and BEFORE the sides: a base recorded by another worker
  // after our side reads would be newer than our snapshot, and merging against it would undo the
  // edits that worker just synced (seen with two workers on one link).
  const { fresh, baseDoc } = await ctx.state.runTransaction(async (tx) => ({
    fresh: (await tx.get<Link>(COLLECTIONS.links, linkDoc.id)) ?? linkDoc,
    baseDoc: await tx.get<BaseDoc>(COLLECTIONS.bases, linkDoc.id),
  }));
  const link = fresh.data;
  const policy = LinkPolicy.parse(link.policy);
  // Only decisions not yet written (settled through the API, `applied: false`): the settled
  // history grows with every sync and is never needed here.
  const [pending, open] = await Promise.all([
    conflictsOf(ctx, link.id, [
      ['state', '==', 'settled'],
      ['applied', '==', false],
    ]),
    conflictsOf(ctx, link.id, [['state', '==', 'open']]),
  ]);
  const [snapshot, designSnapshot] = await Promise.all([repo.readSnapshot(link.branch), design.read()]);
  await recorder.step('read both sides', { designRevision: designSnapshot.revision });
  const now = () => ctx.now().toISOString();

  const unchanged =
    baseDoc !== undefined &&
    pending.length === 0 &&
    link.positions.headSha === snapshot.headSha &&
    link.positions.designRevision === designSnapshot.revision;
  if (unchanged && !options.dryRun) {
    // Nothing moved since the last recorded run: this run still decides what the link shows.
    const op = recorder.draft('succeeded', { outcome: 'no-changes', apiCalls: calls() });
    const drift = driftOfSides({
      architectureFiles: snapshot.architectureFiles,
      manifests: snapshot.serviceManifests,
      designText: designSnapshot.content,
    });
    const driftMoved = JSON.stringify(drift.summary) !== JSON.stringify(link.drift ?? {});
    await recordWithoutWrites(ctx, fresh, op, { ...(driftMoved ? { drift } : {}), now: now() });
    return recorder.committed(op);
  }

  const resolutions: ConflictResolution[] = pending.map((c) => ({
    serviceId: c.data.serviceId,
    field: c.data.field,
    value: c.data.value ?? null,
  }));
  const plan = planSync({
    base: baseDoc?.data.services ?? [],
    architectureFiles: snapshot.architectureFiles,
    manifests: snapshot.serviceManifests,
    designText: designSnapshot.content,
    policy,
    direction: options.direction,
    resolutions,
  });
  const summary = describe(plan);
  await recorder.step(`planned: ${summary}`);
  const common = { changes: pick(plan), conflicts: plan.conflicts.length };

  if (plan.verdict.action !== 'write' || options.dryRun) {
    const blocked = plan.verdict.action === 'blocked';
    const outcome = options.dryRun ? 'dry-run' : blocked ? 'blocked' : 'report-only';
    const error = blocked
      ? { code: 'guard_blocked', message: plan.verdict.findings.map((f) => f.reason).join('; ') }
      : undefined;
    const op = recorder.draft(blocked ? 'failed' : 'succeeded', {
      ...common,
      outcome,
      apiCalls: calls(),
      ...(error ? { error } : {}),
    });
    await recordWithoutWrites(ctx, fresh, op, {
      drift: plan.drift,
      blocked,
      changesWaiting: plan.repoChanges.length > 0 || plan.designText !== undefined,
      now: now(),
    });
    return recorder.committed(op);
  }

  const repoResult = await writeRepo(repo, link, snapshot, plan.repoChanges, {
    operationId: recorder.id,
    summary: `Architecture sync: ${summary}`,
    body: pullRequestBody(plan, link),
  });
  if (repoResult.commitSha)
    await recorder.step('committed to the repository', { commitSha: repoResult.commitSha });
  const awaiting = awaitingReview(plan.conflicts);
  const reviewIssue = await syncReviewIssue(repo, link, awaiting, now());
  if (reviewIssue?.bodyHash !== link.reviewIssue?.bodyHash) {
    await recorder.step(
      reviewIssue
        ? `review issue lists ${awaiting.length} removal(s)`
        : 'review issue closed: no removal waits',
    );
  }
  await reportRawRejections(repo, snapshot.headSha, plan, ctx);

  let designRevision = designSnapshot.revision;
  if (plan.designText !== undefined) {
    designRevision = await design.write(plan.designText, designSnapshot.revision);
    await recorder.step('wrote the design', { designRevision });
  }

  const prPending = repoResult.pullRequest !== undefined && plan.repoChanges.length > 0;
  const declined = repoResult.declined !== undefined && plan.repoChanges.length > 0;
  // Changes waiting in a pull request, or declined, are not in the repository: the base says so.
  const landed = !(prPending || declined);
  const base = landed ? plan.baseIfDirect : plan.baseIfPending;
  const drift = landed ? plan.driftAfter.direct : plan.driftAfter.pending;
  const op = recorder.draft('succeeded', {
    ...common,
    outcome: declined
      ? 'proposal-declined'
      : plan.repoChanges.length + (plan.designText ? 1 : 0) === 0
        ? 'no-changes'
        : 'synced',
    apiCalls: calls(),
    designRevision,
    ...(repoResult.commitSha ? { commitSha: repoResult.commitSha } : {}),
    ...(repoResult.pullRequest ? { pullRequest: repoResult.pullRequest.url } : {}),
  });
  const fingerprints = new Set(plan.conflicts.map((c) => c.fingerprint));
  const openAfter = plan.conflicts.filter((c) => c.resolution === 'open' || c.needsReview).length;
  await commitState(ctx.state, {
    linkId: link.id,
    linkVersion: fresh.version,
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
    base: { services: base, designExport: plan.designExport },
    operation: op,
    conflicts: plan.conflicts,
    issues: new Map(reviewIssue ? awaiting.map((c) => [c.fingerprint, reviewIssue.url]) : []),
    appliedConflictIds: pending.map((c) => c.id),
    // An open conflict that is gone means someone made the sides agree (a removal waiting for review
    // changes neither side, so it is found again until then). Recorded only by a run both ways.
    supersededConflictIds:
      options.direction === 'both'
        ? open
            .filter((c) => c.data.resolution === 'open' && !fingerprints.has(c.id.slice(link.id.length + 1)))
            .map((c) => c.id)
        : [],
    drift,
    now: now(),
  });
  return recorder.committed(op);
}

async function conflictsOf(ctx: AppContext, linkId: string, where: Array<[string, '==', string | boolean]>) {
  return ctx.state.query<ConflictRecord & { applied?: boolean }>(COLLECTIONS.conflicts, {
    where: [['linkId', '==', linkId], ...where],
  });
}
