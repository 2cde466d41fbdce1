import { z } from 'zod';

/** A recorded conflict: both sides' values and how it was (or is to be) settled. */
export const ConflictRecord = z.object({
  id: z.string(),
  linkId: z.string(),
  tenant: z.string(),
  /** The disagreement's fingerprint (service, field, both values): the same one is found again by it. */
  fingerprint: z.string().optional(),
  operationId: z.string(),
  state: z.enum(['open', 'settled']),
  serviceId: z.string(),
  /** Field name, or null for a whole-service conflict (removal, add-add). */
  field: z.string().nullable(),
  kind: z.string(),
  base: z.unknown(),
  design: z.unknown(),
  definitions: z.unknown(),
  /** How it was settled: design, definitions, higher-version, kept, deleted, value, or open. */
  resolution: z.string(),
  /** Value chosen when resolved by hand. */
  value: z.unknown().optional(),
  /** Settled: false until a sync has written the decision to both sides, then true. */
  applied: z.boolean().optional(),
  issueUrl: z.string().optional(),
  /** A stored decision the sync refused to write (it would make the service invalid): open again. */
  refusedDecision: z.object({ reason: z.string(), at: z.string() }).optional(),
  createdAt: z.string(),
  settledAt: z.string().optional(),
});
export type ConflictRecord = z.infer<typeof ConflictRecord>;
