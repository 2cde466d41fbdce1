import { z } from 'zod';
import { AppError } from '../errors/index.ts';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from './collections.ts';

export const BOOTSTRAP_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const FINISHED: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);
/** The newest events are kept: a job's record stays small. */
const MAX_EVENTS = 60;

/**
 * A link's bootstrap job (id = link id: one at a time per link), the asynchronous proposal of
 * definitions for a repository that has none: its progress counters and events in order, the
 * services it found, the pull request it opened, or why it stopped.
 */
export const BootstrapJob = z.object({
  id: z.string(),
  linkId: z.string(),
  tenant: z.string(),
  keyId: z.string(),
  tier: z.string(),
  /** Whether a model may enrich the proposal (when a provider is configured). */
  model: z.boolean(),
  status: z.enum(BOOTSTRAP_STATUSES),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  /** Which delivery of the job's message runs it (a redelivery that finds another running leaves it). */
  attempt: z.string().optional(),
  finishedAt: z.string().optional(),
  cancelRequested: z.boolean().default(false),
  progress: z.object({
    filesRead: z.number().int(),
    servicesFound: z.number().int(),
    modelCalls: z.number().int(),
    /** Cost of the model calls so far, in pico-USD (exact), and in USD for display. */
    costPicoUsd: z.number().int(),
    costUsd: z.number(),
  }),
  events: z.array(z.object({ step: z.string(), at: z.string() })),
  /** Wanted files that were not read, and why (a limit, not text). */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })).default([]),
  /** The proposal: what it is based on, and whether a model enriched it. */
  services: z.array(z.object({ id: z.string(), name: z.string(), path: z.string().optional() })).default([]),
  source: z.enum(['deterministic', 'model']).optional(),
  notes: z.array(z.string()).default([]),
  pullRequest: z.object({ number: z.number().int(), url: z.string(), branch: z.string() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type BootstrapJob = z.infer<typeof BootstrapJob>;

export function isFinished(job: Pick<BootstrapJob, 'status'>): boolean {
  return FINISHED.has(job.status);
}

/**
 * A job still marked running after this long lost its runner (the instance ended mid-way; the
 * scheduler's push waits 300 s at most): a redelivery or a new request may start it over.
 */
export const BOOTSTRAP_STALE_MS = 6 * 60_000;

/** Whether a job is being run right now by someone (queued, or running and not stale). */
export function isActive(job: Pick<BootstrapJob, 'status' | 'startedAt'>, now: Date): boolean {
  if (job.status === 'queued') return true;
  if (job.status !== 'running') return false;
  return job.startedAt === undefined || now.getTime() - Date.parse(job.startedAt) < BOOTSTRAP_STALE_MS;
}

export async function getBootstrapJob(state: StateStore, linkId: string): Promise<BootstrapJob | undefined> {
  const doc = await state.get(COLLECTIONS.bootstrapJobs, linkId);
  if (!doc) return undefined;
  const parsed = BootstrapJob.safeParse(doc.data);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Changes a job in one transaction: `change` sees the stored job and returns the new one (or
 * undefined to leave it). Events are appended in order, the newest kept.
 */
export async function updateBootstrapJob(
  state: StateStore,
  linkId: string,
  change: (job: BootstrapJob) => BootstrapJob | undefined,
): Promise<BootstrapJob> {
  return state.runTransaction(async (tx) => {
    const doc = await tx.get(COLLECTIONS.bootstrapJobs, linkId);
    const parsed = doc ? BootstrapJob.safeParse(doc.data) : undefined;
    if (!doc || !parsed?.success) throw new AppError('not_found', 'This link has no bootstrap job');
    const next = change(parsed.data);
    if (!next) return parsed.data;
    const kept = { ...next, events: next.events.slice(-MAX_EVENTS) };
    tx.update(COLLECTIONS.bootstrapJobs, linkId, kept, { ifVersion: doc.version });
    return kept;
  });
}

/** Records a new queued job, unless one is queued or running for the link (409; a stale one is replaced). */
export async function createBootstrapJob(
  state: StateStore,
  job: BootstrapJob,
  now: Date,
): Promise<BootstrapJob> {
  return state.runTransaction(async (tx) => {
    const doc = await tx.get(COLLECTIONS.bootstrapJobs, job.linkId);
    const current = doc ? BootstrapJob.safeParse(doc.data) : undefined;
    if (current?.success && isActive(current.data, now))
      throw new AppError('conflict', `A bootstrap of this link is already ${current.data.status}`, {
        details: { status: current.data.status, id: current.data.id },
      });
    tx.set(COLLECTIONS.bootstrapJobs, job.linkId, job);
    return job;
  });
}
