import { z } from 'zod';

export const OPERATION_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const SYNC_DIRECTIONS = ['both', 'design-to-definitions', 'definitions-to-design'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const ServiceChanges = z.object({
  added: z.array(z.string()).default([]),
  updated: z.array(z.string()).default([]),
  removed: z.array(z.string()).default([]),
});

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
  designRevision: z.string().optional(),
  /** Steps done so far, for progress display while running. */
  progress: z.array(z.object({ step: z.string(), at: z.string() })).default([]),
  queuedAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /**
   * Failed on the request's last delivery attempt: the message is in the dead letters, and replaying
   * it runs this operation again (a failure a retry cannot fix is final instead).
   */
  gaveUp: z.boolean().optional(),
  /** Who asked (trigger `settings`): `admin`, or `key <id>` for a tenant API key. */
  actor: z.string().optional(),
  /** A settings change (trigger `settings`): each changed setting, `policy.<name>` or `branch`. */
  settings: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
});
export type Operation = z.infer<typeof Operation>;
