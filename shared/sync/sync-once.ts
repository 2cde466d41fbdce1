import type { AppContext } from '../context/index.ts';
import { type ConflictResolution, LinkPolicy, resolveConflict } from '../domain/index.ts';
import { isAppError } from '../errors/index.ts';
import type {
  DesignProvider,
  DesignSnapshot,
  RepoProvider,
  RepoSnapshot,
  StoredDoc,
} from '../ports/index.ts';
import {
  type ChangeSummary,
  COLLECTIONS,
  type ConflictRecord,
  type Link,
  type Operation,
} from '../records/index.ts';
import { proposedDiff, summarizeRun } from './change-summary.ts';
import { checkBaseFits } from './commit-state.ts';
import type { OperationRecorder } from './operation-recorder.ts';
import { planSync, type SyncPlan } from './plan-sync.ts';
import { awaitingReview, type ReviewIssue, syncReviewIssue } from './review-issue.ts';
import {
  type BaseDoc,
  type Conflicts,
  type Read,
  type Recorded,
  recordNothingMoved,
  recordPlanOnly,
  recordSync,
} from './run-record.ts';
import type { SyncOptions, SyncSides } from './sync-options.ts';
import { describe, pullRequestBody, reportRawRejections } from './sync-report.ts';
import { type RepoWriteResult, writeRepo } from './write-repo.ts';

/**
 * One pass of a sync, each step in the order that makes a crash anywhere converge on the next
 * delivery: read what was recorded, then both sides → plan → commit to the repository → keep the
 * review issue → write the design (only if unchanged since read) → record the run, the link and the
 * new base in one transaction guarded by the link's version. Only that transaction makes the run
 * `succeeded`; everything before it is safe to do again (the repository commit and the design write
 * find their changes already there, the issue finds its own marker).
 */
export async function syncOnce(
  ctx: AppContext,
  linkDoc: StoredDoc<Link>,
  options: SyncOptions,
  recorder: OperationRecorder,
  sides: SyncSides,
): Promise<Operation> {
  const recorded = await readRecorded(ctx, linkDoc);
  const read = await readSides(sides, recorded.link.data, recorder);
  if (nothingMoved(recorded, read) && !options.dryRun) {
    return recordNothingMoved(ctx, recorder, sides.calls, recorded, read);
  }
  const plan = planFor(recorded, read, options);
  await recorder.step(`planned: ${describe(plan)}`);
  if (plan.verdict.action !== 'write' || options.dryRun) {
    return recordPlanOnly(ctx, recorder, sides.calls, recorded, plan, options);
  }
  const link = recorded.link.data;
  // A base too large to record would leave both sides written and the link behind its own writes.
  checkBaseFits(link.id, plan, isoNow(ctx));
  const summary = await summarizeRun(ctx, link, proposedDiff(link, plan));
  const repoResult = await writeRepository(sides.repo, link, read.repo, plan, recorder, summary);
  const reviewIssue = await keepReviewIssue(ctx, sides.repo, link, plan, recorder);
  await reportRawRejections(sides.repo, read.repo.headSha, plan, ctx);
  const designRevision = await writeDesign(sides.design, read.design, plan, recorder);
  return recordSync(ctx, recorder, sides.calls, recorded, plan, options, {
    repoResult,
    reviewIssue,
    designRevision,
    summary,
  });
}

/**
 * The link and its base, read together and BEFORE the sides: a base recorded by another worker after
 * our side reads would be newer than our snapshot, and merging against it would undo the edits that
 * worker just synced (seen with two workers on one link).
 */
async function readRecorded(ctx: AppContext, linkDoc: StoredDoc<Link>): Promise<Recorded> {
  const { link, base } = await ctx.state.runTransaction(async (tx) => ({
    link: (await tx.get<Link>(COLLECTIONS.links, linkDoc.id)) ?? linkDoc,
    base: await tx.get<BaseDoc>(COLLECTIONS.bases, linkDoc.id),
  }));
  // Only decisions not yet written (`applied: false`): the settled history grows with every sync
  // and is never needed here.
  const [decided, open] = await Promise.all([
    conflictsOf(ctx, link.id, [
      ['state', '==', 'settled'],
      ['applied', '==', false],
    ]),
    conflictsOf(ctx, link.id, [['state', '==', 'open']]),
  ]);
  return { link, base, decided: await refuseInvalidDecisions(ctx, decided), open };
}

/**
 * Decisions are validated when they are made; one stored before that (or by hand) that would make a
 * service invalid is not written: it is reopened with the reason, so it cannot wedge every later sync.
 */
async function refuseInvalidDecisions(ctx: AppContext, decided: Conflicts): Promise<Conflicts> {
  const valid: Conflicts = [];
  for (const c of decided) {
    const reason = invalidDecision(c.data);
    if (reason === undefined) {
      valid.push(c);
      continue;
    }
    const { value: _value, applied: _applied, settledAt: _settledAt, ...rest } = c.data;
    await ctx.state.update(
      COLLECTIONS.conflicts,
      c.id,
      { ...rest, state: 'open', resolution: 'open', refusedDecision: { reason, at: isoNow(ctx) } },
      { ifVersion: c.version },
    );
    ctx.logger.warn('a stored decision is invalid; the conflict is open again', { conflictId: c.id });
  }
  return valid;
}

function invalidDecision(record: ConflictRecord): string | undefined {
  try {
    resolveConflict(record, 'value', record.value ?? null);
    return undefined;
  } catch (err) {
    return isAppError(err) ? err.message : 'invalid value';
  }
}

async function readSides(sides: SyncSides, link: Link, recorder: OperationRecorder): Promise<Read> {
  const [repo, design] = await Promise.all([sides.repo.readSnapshot(link.branch), sides.design.read()]);
  await recorder.step('read both sides', { designRevision: design.revision });
  return { repo, design };
}

/** Both sides are where the last recorded run left them, and no decision waits to be written. */
function nothingMoved(recorded: Recorded, read: Read): boolean {
  const { positions } = recorded.link.data;
  return (
    recorded.base !== undefined &&
    recorded.decided.length === 0 &&
    positions.headSha === read.repo.headSha &&
    positions.designRevision === read.design.revision
  );
}

function planFor(recorded: Recorded, read: Read, options: SyncOptions): SyncPlan {
  const resolutions: ConflictResolution[] = recorded.decided.map((c) => ({
    serviceId: c.data.serviceId,
    field: c.data.field,
    value: c.data.value ?? null,
  }));
  return planSync({
    base: recorded.base?.data.services ?? [],
    architectureFiles: read.repo.architectureFiles,
    manifests: read.repo.serviceManifests,
    designText: read.design.content,
    policy: LinkPolicy.parse(recorded.link.data.policy),
    direction: options.direction,
    resolutions,
  });
}

/** All repository changes in one commit: on the branch, or on `bridge/<link>` with a pull request. */
async function writeRepository(
  repo: RepoProvider,
  link: Link,
  snapshot: RepoSnapshot,
  plan: SyncPlan,
  recorder: OperationRecorder,
  summary: ChangeSummary | undefined,
): Promise<RepoWriteResult> {
  const result = await writeRepo(repo, link, snapshot, plan.repoChanges, {
    operationId: recorder.id,
    summary: `Architecture sync: ${describe(plan)}`,
    body: pullRequestBody(plan, link, summary),
  });
  if (result.commitSha) await recorder.step('committed to the repository', { commitSha: result.commitSha });
  return result;
}

/** The one issue listing every removal awaiting review, opened, edited or closed to match the plan. */
async function keepReviewIssue(
  ctx: AppContext,
  repo: RepoProvider,
  link: Link,
  plan: SyncPlan,
  recorder: OperationRecorder,
): Promise<ReviewIssue | undefined> {
  const awaiting = awaitingReview(plan.conflicts);
  const issue = await syncReviewIssue(repo, link, awaiting, isoNow(ctx));
  if (issue?.bodyHash !== link.reviewIssue?.bodyHash) {
    await recorder.step(
      issue ? `review issue lists ${awaiting.length} removal(s)` : 'review issue closed: no removal waits',
    );
  }
  return issue;
}

/** The new design, written only if the file is still at the revision read (else: read and merge again). */
async function writeDesign(
  design: DesignProvider,
  read: DesignSnapshot,
  plan: SyncPlan,
  recorder: OperationRecorder,
): Promise<string> {
  if (plan.designText === undefined) return read.revision;
  const revision = await design.write(plan.designText, read.revision);
  await recorder.step('wrote the design', { designRevision: revision });
  return revision;
}

async function conflictsOf(
  ctx: AppContext,
  linkId: string,
  where: Array<[string, '==', string | boolean]>,
): Promise<Conflicts> {
  return ctx.state.query<ConflictRecord & { applied?: boolean }>(COLLECTIONS.conflicts, {
    where: [['linkId', '==', linkId], ...where],
  });
}

function isoNow(ctx: AppContext): string {
  return ctx.now().toISOString();
}
