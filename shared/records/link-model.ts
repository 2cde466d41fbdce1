import { z } from 'zod';

export const LINK_STATUSES = ['synced', 'out_of_sync', 'conflict', 'error', 'paused'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/** Where each side was when the link last synced. */
export const LinkPositions = z.object({
  /** Git commit of the link's branch the base snapshot corresponds to. */
  headSha: z.string().optional(),
  /** Design revision the base snapshot corresponds to. */
  designRevision: z.string().optional(),
});
export type LinkPositions = z.infer<typeof LinkPositions>;

export const WEBHOOK_STATES = ['created', 'exists', 'not-needed', 'manual', 'failed'] as const;

/**
 * The repository webhook that brings pushes and pull requests to the bridge: created by it
 * (`created`), found pointing at it (`exists`), delivered by a GitHub App or not applicable to a
 * local repository (`not-needed`), to be added by hand because the credentials may not (`manual`,
 * the message says how), or failed for now (`failed`, retried by the hourly renewal).
 */
export const LinkWebhook = z.object({
  state: z.enum(WEBHOOK_STATES),
  message: z.string(),
  hookId: z.number().int().optional(),
  /**
   * For a hook the bridge manages (`created`, `exists`): `current` once the bridge has set the newest
   * webhook secret on it, `previous` while setting it failed (the message says why; the hourly
   * renewal tries again), and the older secret versions stay enabled meanwhile. Absent until the
   * bridge has set the secret (a hook found already there) and for hooks it does not manage.
   */
  secret: z.enum(['current', 'previous']).optional(),
  /** The webhook secret version the bridge last set on the hook (when creating or updating it). */
  secretVersion: z.string().optional(),
  /** When this state was recorded (a check finding the same state again changes nothing). */
  at: z.string(),
});
export type LinkWebhook = z.infer<typeof LinkWebhook>;

/** The Drive push channel on the link's design: `live`, `not-needed` (not on Drive) or `failed` (retried hourly). */
export const LinkDriveChannel = z.object({
  state: z.enum(['live', 'not-needed', 'failed']),
  message: z.string(),
  /** When this state was recorded (a check finding the same state again changes nothing). */
  at: z.string(),
});
export type LinkDriveChannel = z.infer<typeof LinkDriveChannel>;

export const Link = z.object({
  id: z.string(),
  tenant: z.string(),
  repo: z.string(),
  branch: z.string(),
  design: z.string(),
  /** LinkPolicy from shared/domain (stored with defaults applied). */
  policy: z.record(z.string(), z.unknown()),
  status: z.enum(LINK_STATUSES),
  positions: LinkPositions,
  lastSync: z
    .object({ operationId: z.string(), at: z.string(), result: z.string(), error: z.string().optional() })
    .optional(),
  drift: z.record(z.string(), z.number()).optional(),
  /** The open `bridge/<link>` pull request and the changes it proposes (policy writes: pull-request). */
  pendingPullRequest: z
    .object({
      fingerprint: z.string(),
      /** Hash of the proposed file changes alone (the fingerprint also covers the base commit). */
      changes: z.string().optional(),
      branch: z.string(),
      headSha: z.string(),
      number: z.number(),
      url: z.string(),
    })
    .optional(),
  /**
   * The last proposal closed without merging. The same changes are not proposed again: the design or
   * the definitions must change first (then a new pull request is opened).
   */
  declinedProposal: z
    .object({ changes: z.string(), number: z.number(), url: z.string(), at: z.string() })
    .optional(),
  /** The one open issue listing every removal awaiting review (onRemoval: manual). */
  reviewIssue: z
    .object({ number: z.number(), url: z.string(), bodyHash: z.string(), openedAt: z.string() })
    .optional(),
  /**
   * Set while the link's tenant may not reach its repository or design (a grant revoked, an account
   * disconnected, or needing reconnecting): syncs fail as `forbidden` with this reason until fixed.
   */
  access: z
    .object({ state: z.enum(['forbidden', 'reconnect_needed']), reason: z.string(), since: z.string() })
    .optional(),
  openConflicts: z.number().int().default(0),
  webhook: LinkWebhook.optional(),
  driveChannel: LinkDriveChannel.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Link = z.infer<typeof Link>;
