import { z } from 'zod';

export const OPERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const SYNC_DIRECTIONS = ['both', 'design-to-definitions', 'definitions-to-design'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const ServiceChanges = z.object({
  added: z.array(z.string()).default([]),
  updated: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
});

export const SUMMARY_REASONS = [
  'generated',
  'cached',
  'no-provider',
  'throttled',
  'providers-down',
  'invalid-output',
  'timed-out',
  'failed',
] as const;

/**
 * The plain-language summary of a run's changes (also in its pull request): written by a model from
 * the structured diff, or built from that diff without one. `reason` says why this one was used.
 */
export const ChangeSummary = z.object({
  text: z.string(),
  source: z.enum(['model', 'deterministic']),
  /** model: generated now, or cached for the same changes; deterministic: why no model paragraph. */
  reason: z.enum(SUMMARY_REASONS),
  /** What went wrong with the model, when it did (a safe message, no prompt or answer text). */
  detail: z.string().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  /** The changes' fingerprint the model paragraph is cached under. */
  fingerprint: z.string(),
});
export type ChangeSummary = z.infer<typeof ChangeSummary>;

const OperationError = z.object({ code: z.string(), message: z.string() });

/** One delivery of the request that ran the sync: a retry adds one, it never rewrites the earlier ones. */
export const OperationAttempt = z.object({
  attempt: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Why this attempt did not finish the run (absent for the attempt that did, or one still running). */
  error: OperationError.optional(),
});
export type OperationAttempt = z.infer<typeof OperationAttempt>;

/** One run of a sync, as shown by the API's history. */
export const Operation = z.object({
  id: z.string(),
  linkId: z.string(),
  tenant: z.string(),
  /** api | github-event | drive-change | schedule | conflict-resolution | settings */
  trigger: z.string(),
  direction: z.enum(SYNC_DIRECTIONS),
  dryRun: z.boolean().default(false),
  status: z.enum(OPERATION_STATUSES),
  /** What the run did, in a word: synced, no-changes, report-only, blocked, conflict. */
  outcome: z.string().optional(),
  changes: z.object({ definitions: ServiceChanges, design: ServiceChanges }).optional(),
  conflicts: z.number().int().default(0),
  apiCalls: z.record(z.string(), z.number()).default({}),
  commitSha: z.string().optional(),
  pullRequest: z.string().optional(),
  /** What the run's changes mean, in a paragraph (runs that wrote changes). */
  summary: ChangeSummary.optional(),
  designRevision: z.string().optional(),
  /** Steps done so far, for progress display while running. */
  progress: z.array(z.object({ step: z.string(), at: z.string() })).default([]),
  queuedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: OperationError.optional(),
  /** Every delivery of this run's request, oldest first (the newest ones when there were very many). */
  attempts: z.array(OperationAttempt).default([]),
  /** This run replays a run that gave up (its dead letter was replayed); that run's record is kept as it was. */
  replayOf: z.string().optional(),
  /**
   * Failed on the request's last delivery attempt: the message is in the dead letters, and replaying
   * it runs the sync again as a new operation with `replayOf` naming this one (a failure a retry
   * cannot fix is final instead).
   */
  gaveUp: z.boolean().optional(),
  /** Who asked (trigger `settings`): `admin`, or `key <id>` for a tenant API key. */
  actor: z.string().optional(),
  /** A settings change (trigger `settings`): each changed setting, `policy.<name>` or `branch`. */
  settings: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
});
export type Operation = z.infer<typeof Operation>;
