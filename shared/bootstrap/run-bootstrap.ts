import { randomUUID } from 'node:crypto';
import { tenantCredentials } from '../access/index.ts';
import type { AppContext } from '../context/index.ts';
import {
  definitionPath,
  type FileChange,
  type ProposedService,
  proposeDefinitions,
  renderDefinitionFile,
  wantsBootstrapFile,
} from '../domain/index.ts';
import { AppError, isAppError, toAppError } from '../errors/index.ts';
import type { AiGateway, FileSelection, RepoProvider } from '../ports/index.ts';
import {
  type BootstrapJob,
  findLink,
  isBootstrapActive,
  type Link,
  updateBootstrapJob,
} from '../records/index.ts';
import { commitMessage } from '../sync/write-repo.ts';
import { enrichBatch, SERVICES_PER_CALL } from './enrich.ts';
import { bootstrapPullRequest } from './pull-request.ts';

/** The bounds of a bootstrap's reads (reported in the job when hit). */
const BOOTSTRAP_LIMITS = { maxFiles: 300, maxFileBytes: 256 * 1024, maxTotalBytes: 4 * 1024 * 1024 };

function bootstrapBranch(linkId: string): string {
  return `bridge-bootstrap/${linkId}`;
}

class Cancelled extends Error {}
/** Another delivery took the job over (this one went stale): it stops without a word. */
class Superseded extends Error {}

/**
 * Model calls stop this long after the job started (the rest of the proposal stays deterministic),
 * so a bootstrap ends well inside the scheduler's 300 s, before Pub/Sub would deliver it again.
 */
const MODEL_BUDGET_MS = 180_000;

/**
 * Runs a link's queued bootstrap job (the scheduler's `bootstrap` job message): reads the README,
 * manifests and `services/` within bounds, proposes definitions (deterministic, then enriched by a
 * model where one is configured and the job allows it), and opens a pull request with them on
 * `bridge-bootstrap/<link>` — never a direct write; the design takes them after the merge, through
 * the normal sync. Progress is written as it goes; a cancel is honoured at every step up to the
 * commit, so a cancelled job writes nothing. Any failure ends the job with the reason and what was
 * done so far; it is never retried by the bus (a person starts it again).
 */
export async function runBootstrap(ctx: AppContext, linkId: string, jobId: string): Promise<void> {
  const logger = ctx.logger.child({ component: 'bootstrap', linkId, jobId });
  const now = () => ctx.now().toISOString();
  const attempt = randomUUID();
  const started = await updateBootstrapJob(ctx.state, linkId, (job) => {
    if (job.id !== jobId || (job.status !== 'queued' && job.status !== 'running')) return undefined;
    // A redelivery while the first attempt still runs (Pub/Sub gave up waiting): that one owns it.
    // A running job gone stale lost its runner and is started over.
    if (job.status === 'running' && isBootstrapActive(job, ctx.now())) return undefined;
    if (job.cancelRequested) return { ...job, status: 'cancelled', finishedAt: now() };
    return {
      ...job,
      status: 'running',
      attempt,
      startedAt: now(),
      events: [...job.events, { step: 'started', at: now() }],
    };
  }).catch(() => undefined);
  if (!started || started.id !== jobId || started.status !== 'running' || started.attempt !== attempt) return;
  const deadline = ctx.now().getTime() + MODEL_BUDGET_MS;
  /** Appends an event (and counters); a cancel asked for meanwhile stops the job here. */
  const step = async (text: string, change: (job: BootstrapJob) => Partial<BootstrapJob> = () => ({})) => {
    const job = await updateBootstrapJob(ctx.state, linkId, (j) => {
      if (j.attempt !== attempt) throw new Superseded();
      return { ...j, ...change(j), events: [...j.events, { step: text, at: now() }] };
    });
    if (job.cancelRequested) throw new Cancelled();
    return job;
  };
  const finish = (status: BootstrapJob['status'], text: string, change: Partial<BootstrapJob> = {}) =>
    updateBootstrapJob(ctx.state, linkId, (j) =>
      j.attempt !== attempt
        ? undefined
        : {
            ...j,
            ...change,
            status,
            finishedAt: now(),
            events: [
              ...j.events,
              // A cancel asked for while the proposal was being written came too late to stop it.
              ...(status === 'succeeded' && j.cancelRequested
                ? [{ step: 'cancel came too late: the proposal was already being written', at: now() }]
                : []),
              { step: text, at: now() },
            ],
          },
    );
  try {
    const link = await findLink(ctx.state, linkId);
    if (!link || link.data.tenant !== started.tenant) throw new AppError('not_found', 'The link is gone');
    const repo = (await ctx.providers()).repo(link.data.repo, await tenantCredentials(ctx, link.data));
    const result = await propose(ctx, started, link.data, repo, step, deadline);
    await step('writing the proposal');
    const pr = await openProposal(repo, link.data, result, started.id);
    await finish('succeeded', `pull request #${pr.number} opened`, { pullRequest: pr });
    logger.info('bootstrap proposed definitions', {
      services: result.services.length,
      pullRequest: pr.number,
    });
  } catch (err) {
    if (err instanceof Superseded) {
      logger.warn('bootstrap superseded: another delivery runs it now');
      return;
    }
    if (err instanceof Cancelled) {
      await finish('cancelled', 'cancelled: nothing was written');
      logger.info('bootstrap cancelled');
      return;
    }
    const error = toAppError(err);
    await finish('failed', `failed: ${error.message}`, {
      error: { code: error.code, message: error.message },
    });
    logger.warn('bootstrap failed', { error: { code: error.code, message: error.message } });
  }
}

type Step = (text: string, change?: (job: BootstrapJob) => Partial<BootstrapJob>) => Promise<BootstrapJob>;

interface Proposal {
  services: ProposedService[];
  source: 'deterministic' | 'model';
  notes: string[];
  skipped: BootstrapJob['skipped'];
  baseSha: string;
}

async function propose(
  ctx: AppContext,
  job: BootstrapJob,
  link: Link,
  repo: RepoProvider,
  step: Step,
  deadline: number,
): Promise<Proposal> {
  await step('reading the repository');
  const snapshot = await repo.readSnapshot(link.branch);
  if (snapshot.architectureFiles.some((f) => f.path.startsWith('architecture/definitions/')))
    throw new AppError(
      'conflict',
      'The repository already has definitions (architecture/definitions/): nothing to bootstrap',
    );
  const selection: FileSelection = { wants: wantsBootstrapFile, ...BOOTSTRAP_LIMITS };
  const read = await repo.readFiles(link.branch, selection);
  await step(
    `read ${read.files.length} files${read.skipped.length ? ` (${read.skipped.length} left out by the limits)` : ''}`,
    (j) => ({
      progress: { ...j.progress, filesRead: read.files.length },
      skipped: read.skipped.slice(0, 100),
    }),
  );
  const proposal = proposeDefinitions({ repoName: repo.displayName, files: read.files });
  const notes = [...proposal.notes];
  if (read.listingTruncated)
    notes.push('The host cut the repository listing: some files may not have been seen');
  const summary = (services: ProposedService[]) =>
    services.map(({ service }) => ({
      id: service.id,
      name: service.name,
      ...(service.path ? { path: service.path } : {}),
    }));
  await step(`found ${proposal.services.length} services`, (j) => ({
    progress: { ...j.progress, servicesFound: proposal.services.length },
    services: summary(proposal.services),
    notes,
  }));
  if (proposal.services.length === 0)
    throw new AppError('bad_request', notes.at(-1) ?? 'No service to propose');
  const ai = job.model ? await ctx.ai() : undefined;
  if (!job.model) notes.push('Deterministic proposal: the job was started without a model');
  else if (!ai) notes.push('Deterministic proposal: no AI provider is configured');
  const services = ai
    ? await enrichAll(ai, job, proposal, notes, step, () => ctx.now().getTime() >= deadline)
    : proposal.services;
  const source = services.some((s, i) => s !== proposal.services[i]) ? 'model' : 'deterministic';
  await step(`proposal ready (${source})`, () => ({ source, notes, services: summary(services) }));
  return { services, source, notes, skipped: read.skipped, baseSha: snapshot.headSha };
}

async function enrichAll(
  ai: AiGateway,
  job: BootstrapJob,
  proposal: ReturnType<typeof proposeDefinitions>,
  notes: string[],
  step: Step,
  overTime: () => boolean,
): Promise<ProposedService[]> {
  const ids = proposal.services.map((s) => s.service.id);
  const out = [...proposal.services];
  const batches = Math.ceil(out.length / SERVICES_PER_CALL);
  for (let b = 0; b < batches; b++) {
    const from = b * SERVICES_PER_CALL;
    const batch = out.slice(from, from + SERVICES_PER_CALL);
    if (overTime()) {
      notes.push(
        `The model had ${MODEL_BUDGET_MS / 1000} s in all: services after the first ${from} are deterministic`,
      );
      await step(`model time used up after ${b} of ${batches} calls: the rest is deterministic`);
      break;
    }
    await step(`model call ${b + 1} of ${batches}`);
    try {
      const { services, answer } = await enrichBatch(
        ai,
        { tenant: job.tenant, keyId: job.keyId, tier: job.tier, readme: proposal.readme, batch },
        ids,
      );
      out.splice(from, services.length, ...services);
      await step(`model call ${b + 1} of ${batches} answered (${answer.provider})`, (j) => {
        const costPicoUsd = j.progress.costPicoUsd + answer.costPicoUsd;
        return {
          progress: {
            ...j.progress,
            modelCalls: j.progress.modelCalls + 1,
            costPicoUsd,
            costUsd: costPicoUsd / 1e12,
          },
        };
      });
    } catch (err) {
      if (err instanceof Cancelled || err instanceof Superseded) throw err;
      const error = isAppError(err) ? err : toAppError(err);
      // The tenant's quota or budget is spent: the job ends here, saying what it had done.
      if (error.code === 'rate_limited') {
        const retry = error.headers['retry-after'];
        throw new AppError(
          'rate_limited',
          `The AI quota or budget ran out after ${b} of ${batches} model calls (${error.message}); nothing was written. ` +
            `Start again later${retry ? ` (in ${retry} s)` : ''}, or without the model ("model": false)`,
          { headers: error.headers },
        );
      }
      // Providers down or an answer that would not parse: the rest stays deterministic, and says so.
      notes.push(
        `Model call ${b + 1} of ${batches} failed (${error.message}): those services are deterministic`,
      );
      await step(`model call ${b + 1} of ${batches} failed: deterministic for those services`);
    }
  }
  return out;
}

async function openProposal(
  repo: RepoProvider,
  link: Link,
  proposal: Proposal,
  jobId: string,
): Promise<{ number: number; url: string; branch: string }> {
  const changes: FileChange[] = proposal.services.map(({ service }) => ({
    path: definitionPath(service.id),
    content: renderDefinitionFile(service),
  }));
  const branch = bootstrapBranch(link.id);
  const { title, body } = bootstrapPullRequest(proposal);
  const head = (await repo.headSha(branch)) ?? null;
  // One commit: the proposal is on the branch whole or not at all. An earlier attempt's branch
  // is moved forward (never forced) with the link branch's tree plus the proposal.
  await repo.commit({
    branch,
    expectedHeadSha: head,
    baseSha: proposal.baseSha,
    message: commitMessage(title, jobId),
    changes,
  });
  const pr = await repo.openOrUpdatePullRequest({ head: branch, base: link.branch, title, body });
  return { ...pr, branch };
}
