import { randomUUID } from 'node:crypto';
import { tenantCredentials } from '../access/index.ts';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { TOPICS } from '../ports/index.ts';
import {
  type BootstrapJob,
  createBootstrapJob,
  isBootstrapActive,
  isBootstrapFinished,
  type Link,
  updateBootstrapJob,
} from '../records/index.ts';

/** The scheduler-jobs message that runs a bootstrap (on demand, not on a schedule). */
export const BOOTSTRAP_JOB = 'bootstrap';

interface BootstrapCaller {
  tenant: string;
  keyId: string;
  tier: string;
}

/**
 * Queues a bootstrap of a link whose repository has no definitions yet (409 if it has, or if a
 * bootstrap of the link is queued or running). The scheduler runs it; the job's record shows its
 * progress. `model: false` keeps it deterministic even where a provider is configured.
 */
export async function startBootstrap(
  ctx: AppContext,
  link: { id: string } & Pick<Link, 'tenant' | 'repo' | 'branch' | 'design' | 'access'>,
  caller: BootstrapCaller,
  options: { model: boolean },
): Promise<BootstrapJob> {
  const repo = (await ctx.providers()).repo(link.repo, await tenantCredentials(ctx, link));
  const snapshot = await repo.readSnapshot(link.branch);
  if (snapshot.architectureFiles.some((f) => f.path.startsWith('architecture/definitions/')))
    throw new AppError(
      'conflict',
      'The repository already has definitions (architecture/definitions/): nothing to bootstrap',
    );
  const at = ctx.now().toISOString();
  const job = await createBootstrapJob(
    ctx.state,
    {
      id: `bst_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      linkId: link.id,
      tenant: link.tenant,
      keyId: caller.keyId,
      tier: caller.tier,
      model: options.model,
      status: 'queued',
      createdAt: at,
      cancelRequested: false,
      progress: { filesRead: 0, servicesFound: 0, modelCalls: 0, costPicoUsd: 0, costUsd: 0 },
      events: [{ step: 'queued', at }],
      skipped: [],
      services: [],
      notes: [],
    },
    ctx.now(),
  );
  try {
    await ctx.publisher.publish(
      TOPICS.schedulerJobs,
      { job: BOOTSTRAP_JOB, linkId: link.id, jobId: job.id },
      { attributes: { job: BOOTSTRAP_JOB } },
    );
  } catch (err) {
    ctx.logger.error('could not queue bootstrap', { linkId: link.id, error: err });
    await updateBootstrapJob(ctx.state, link.id, (j) => ({
      ...j,
      status: 'failed',
      finishedAt: ctx.now().toISOString(),
      error: { code: 'unavailable', message: 'The event bus did not accept the job' },
    }));
    throw new AppError('unavailable', 'The bootstrap could not be queued; try again', {
      headers: { 'retry-after': '5' },
    });
  }
  return job;
}

/**
 * Cancels a link's bootstrap: a queued one at once, a running one at its next step (before
 * anything is written). A finished one cannot be cancelled (409).
 */
export async function cancelBootstrap(ctx: AppContext, linkId: string): Promise<BootstrapJob> {
  let finished: string | undefined;
  const job = await updateBootstrapJob(ctx.state, linkId, (j) => {
    if (isBootstrapFinished(j)) {
      finished = j.status;
      return undefined;
    }
    const at = ctx.now().toISOString();
    // Queued, or running but its runner is gone (nothing will reach the next step): cancelled now.
    if (j.status === 'queued' || !isBootstrapActive(j, ctx.now()))
      return {
        ...j,
        status: 'cancelled',
        cancelRequested: true,
        finishedAt: at,
        events: [
          ...j.events,
          {
            step:
              j.status === 'queued' ? 'cancelled before it started' : 'cancelled (its runner had stopped)',
            at,
          },
        ],
      };
    return { ...j, cancelRequested: true, events: [...j.events, { step: 'cancel requested', at }] };
  });
  if (finished)
    throw new AppError(
      'conflict',
      `The bootstrap already ${finished === 'cancelled' ? 'was cancelled' : finished}`,
    );
  return job;
}
