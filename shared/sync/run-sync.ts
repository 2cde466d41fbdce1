import type { AppContext } from '../app/index.ts';
import { providerRegistry, tenantCredentials } from '../app/index.ts';
import { type ConflictResolution, LinkPolicy, type ServiceDefinition } from '../domain/index.ts';
import { isAppError } from '../errors/index.ts';
import {
  COLLECTIONS,
  type ConflictRecord,
  findLink,
  type Link,
  type Operation,
  type SyncDirection,
} from '../links/index.ts';
import type { DesignProvider, RepoProvider, StoredDoc } from '../ports/index.ts';
import { checkBaseFits, commitState } from './commit-state.ts';
import { OperationRecorder } from './operation-recorder.ts';
import { planSync, type SyncPlan } from './plan-sync.ts';
import { describe, pick, pullRequestBody, reportRawRejections } from './sync-report.ts';
import { openReviewIssues, writeRepo } from './write-repo.ts';

export interface SyncOptions {
  operationId?: string | undefined;
  trigger: string;
  direction: SyncDirection;
  dryRun: boolean;
  /** This delivery is the message's last: a failure now dead-letters it (see BusMessage). */
  lastAttempt?: boolean;
}

/** Errors a retry cannot fix: the run is recorded as failed and the message acknowledged. */
const PERMANENT = new Set([
  'validation_failed',
  'bad_request',
  'not_found',
  'forbidden',
  'unauthorized',
  'payload_too_large',
]);
const MAX_DESIGN_RACES = 3;

interface BaseDoc {
  services: ServiceDefinition[];
}

/**
 * Runs one sync of one link. Order of effects (so a crash anywhere converges on the next delivery):
 * read both sides → plan → commit to the repository → write the design (only if unchanged since read)
 * → record state in one transaction guarded by the link's version. A retry after a crash finds the
 * written side already agreeing with the other and only records the state.
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
  const logger = ctx.logger.child({ linkId, operationId: recorder.id });
  const registry = await providerRegistry(ctx);
  let repo: RepoProvider | undefined;
  let design: DesignProvider | undefined;
  const calls = () => ({
    ...(repo ? { [repo.kind]: repo.callCount() - repoCalls0 } : {}),
    ...(design ? { [design.kind]: design.callCount() - designCalls0 } : {}),
  });
  let repoCalls0 = 0;
  let designCalls0 = 0;
  try {
    repo = registry.repo(
      linkDoc.data.repo,
      await tenantCredentials(ctx, linkDoc.data.tenant, linkDoc.data.repo),
    );
    design = registry.design(linkDoc.data.design);
    repoCalls0 = repo.callCount();
    designCalls0 = design.callCount();
    for (let race = 1; ; race++) {
      try {
        return await syncOnce(ctx, linkDoc, options, recorder, repo, design, calls);
      } catch (err) {
        // The design changed between our read and our write: read again and merge again.
        if (!isAppError(err) || err.code !== 'precondition_failed' || race >= MAX_DESIGN_RACES) throw err;
        logger.info('design changed during the sync; merging again', { race });
        await recorder.step('design changed meanwhile; merging again');
      }
    }
  } catch (err) {
    const appError = isAppError(err) ? err : undefined;
    const permanent = appError !== undefined && PERMANENT.has(appError.code);
    const error = { code: appError?.code ?? 'internal', message: appError?.message ?? 'Internal error' };
    const gaveUp = !permanent && options.lastAttempt === true;
    logger[permanent ? 'warn' : 'error']('sync failed', { error: err, permanent, gaveUp });
    if (permanent || gaveUp) {
      if (gaveUp) {
        await recorder.step(
          `gave up on the last attempt (${error.code}); replaying the dead letter runs it again`,
        );
      }
      const op = recorder.finish('failed', { error, apiCalls: calls(), ...(gaveUp ? { gaveUp } : {}) });
      await recorder.save();
      await markLink(ctx, linkId, {
        status: 'error',
        lastSync: { operationId: op.id, at: op.finishedAt ?? '', result: 'failed', error: error.message },
      });
      if (permanent) return op;
    } else {
      await recorder.step(`attempt failed (${error.code}); will retry`, { error, apiCalls: calls() });
    }
    // Nacked: redelivered after backoff, or (last attempt) moved to the dead letters.
    throw err;
  }
}

async function syncOnce(
  ctx: AppContext,
  linkDoc: StoredDoc<Link>,
  options: SyncOptions,
  recorder: OperationRecorder,
  repo: RepoProvider,
  design: DesignProvider,
  calls: () => Record<string, number>,
): Promise<Operation> {
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

  const unchanged =
    baseDoc !== undefined &&
    pending.length === 0 &&
    link.positions.headSha === snapshot.headSha &&
    link.positions.designRevision === designSnapshot.revision;
  if (unchanged && !options.dryRun) {
    const op = recorder.finish('succeeded', { outcome: 'no-changes', apiCalls: calls() });
    await recorder.save();
    return op;
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
  const now = () => ctx.now().toISOString();
  const common = { changes: pick(plan), conflicts: plan.conflicts.length };

  if (plan.verdict.action !== 'write' || options.dryRun) {
    const blocked = plan.verdict.action === 'blocked';
    const outcome = options.dryRun ? 'dry-run' : blocked ? 'blocked' : 'report-only';
    const error = blocked
      ? { code: 'guard_blocked', message: plan.verdict.findings.map((f) => f.reason).join('; ') }
      : undefined;
    const op = recorder.finish(blocked ? 'failed' : 'succeeded', {
      ...common,
      outcome,
      apiCalls: calls(),
      ...(error ? { error } : {}),
    });
    await recordWithoutWrites(ctx, fresh, op, plan, now(), blocked);
    return op;
  }

  checkBaseFits(link.id, plan, now());
  const repoResult = await writeRepo(repo, link, snapshot, plan.repoChanges, {
    operationId: recorder.id,
    summary: `Architecture sync: ${summary}`,
    body: pullRequestBody(plan, link),
  });
  if (repoResult.commitSha)
    await recorder.step('committed to the repository', { commitSha: repoResult.commitSha });
  const issues = await openReviewIssues(
    repo,
    plan.conflicts,
    new Set(open.filter((c) => c.data.issueUrl).map((c) => c.id.slice(link.id.length + 1))),
  );
  await reportRawRejections(repo, snapshot.headSha, plan, ctx);

  let designRevision = designSnapshot.revision;
  if (plan.designText !== undefined) {
    designRevision = await design.write(plan.designText, designSnapshot.revision);
    await recorder.step('wrote the design', { designRevision });
  }

  const prPending = repoResult.pullRequest !== undefined && plan.repoChanges.length > 0;
  const declined = repoResult.declined !== undefined && plan.repoChanges.length > 0;
  // Changes waiting in a pull request, or declined, are not in the repository: the base says so.
  const base = prPending || declined ? plan.baseIfPending : plan.baseIfDirect;
  const openAfter = plan.conflicts.filter((c) => c.resolution === 'open' || c.needsReview).length;
  const op = recorder.finish('succeeded', {
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
  await commitState(ctx.state, {
    linkId: link.id,
    linkVersion: fresh.version,
    link: {
      status: openAfter > 0 ? 'conflict' : prPending || declined ? 'out_of_sync' : 'synced',
      positions: { ...link.positions, headSha: repoResult.branchHead, designRevision },
      lastSync: { operationId: op.id, at: op.finishedAt ?? now(), result: op.outcome ?? 'synced' },
      drift: plan.drift.summary,
      pendingPullRequest: prPending ? repoResult.pullRequest : undefined,
      // Kept while the declined changes are what the design would still propose; dropped otherwise.
      declinedProposal: declined ? repoResult.declined : undefined,
    },
    base: { services: base, designExport: plan.designExport },
    operation: op,
    conflicts: plan.conflicts,
    issues,
    appliedConflictIds: pending.map((c) => c.id),
    // An open field conflict that is gone means someone made the sides agree. A removal under review
    // stays open until a person decides: the merge restored the service, so it would look settled.
    supersededConflictIds:
      options.direction === 'both'
        ? open
            .filter((c) => c.data.resolution === 'open' && !fingerprints.has(c.id.slice(link.id.length + 1)))
            .map((c) => c.id)
        : [],
    drift: plan.drift,
    now: now(),
  });
  return op;
}

async function recordWithoutWrites(
  ctx: AppContext,
  link: StoredDoc<Link>,
  op: Operation,
  plan: SyncPlan,
  now: string,
  blocked: boolean,
) {
  const pendingChanges = plan.repoChanges.length > 0 || plan.designText !== undefined;
  await commitState(ctx.state, {
    linkId: link.id,
    linkVersion: link.version,
    link: {
      status: blocked ? 'error' : pendingChanges ? 'out_of_sync' : link.data.status,
      lastSync: {
        operationId: op.id,
        at: now,
        result: op.outcome ?? '',
        ...(op.error ? { error: op.error.message } : {}),
      },
      drift: plan.drift.summary,
    },
    operation: op,
    conflicts: [],
    issues: new Map(),
    appliedConflictIds: [],
    supersededConflictIds: [],
    drift: plan.drift,
    now,
  });
}

async function conflictsOf(ctx: AppContext, linkId: string, where: Array<[string, '==', string | boolean]>) {
  return ctx.state.query<ConflictRecord & { applied?: boolean }>(COLLECTIONS.conflicts, {
    where: [['linkId', '==', linkId], ...where],
  });
}

async function markLink(ctx: AppContext, linkId: string, patch: Partial<Link>): Promise<void> {
  await ctx.state
    .runTransaction(async (tx) => {
      const doc = await tx.get<Link>(COLLECTIONS.links, linkId);
      if (doc)
        tx.update(
          COLLECTIONS.links,
          linkId,
          { ...doc.data, ...patch, updatedAt: ctx.now().toISOString() },
          { ifVersion: doc.version },
        );
    })
    .catch((err: unknown) => ctx.logger.warn('link status not recorded', { linkId, error: err }));
}
