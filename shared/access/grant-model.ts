import { z } from 'zod';
import { GRANT_KINDS } from '../domain/index.ts';

/** One thing the admin granted a tenant, and who granted it when. */
export const Grant = z.object({
  kind: z.enum(GRANT_KINDS),
  /** A GitHub login (lower case), an App installation id, an absolute local folder, or a Drive file or folder id. */
  value: z.string(),
  /** The API key id that granted it (`admin` for the admin token). */
  grantedBy: z.string(),
  grantedAt: z.string(),
});
export type Grant = z.infer<typeof Grant>;

export const GrantEvent = z.object({
  action: z.enum(['granted', 'revoked']),
  kind: z.enum(GRANT_KINDS),
  value: z.string(),
  by: z.string(),
  at: z.string(),
});
export type GrantEvent = z.infer<typeof GrantEvent>;

/** A tenant's grants and the record of changes to them (the last HISTORY_LIMIT, newest last). */
export const TenantGrants = z.object({
  tenant: z.string(),
  grants: z.array(Grant),
  history: z.array(GrantEvent),
  updatedAt: z.string().optional(),
});
export type TenantGrants = z.infer<typeof TenantGrants>;

/** A link whose tenant may no longer reach its repository or design (admin report). */
export const RefusedLink = z.object({
  linkId: z.string(),
  tenant: z.string(),
  repo: z.string(),
  design: z.string(),
  state: z.enum(['forbidden', 'reconnect_needed']),
  reason: z.string(),
});
export type RefusedLink = z.infer<typeof RefusedLink>;

/** The admin's report of links that would now be refused (`GET /api/v1/access/refused-links`). */
export const AccessReport = z.object({
  items: z.array(RefusedLink),
  /** Links that could not be checked now (GitHub unavailable, say): try again. */
  unchecked: z.array(z.object({ linkId: z.string(), tenant: z.string(), error: z.string() })),
});
export type AccessReport = z.infer<typeof AccessReport>;

/** Path segment of the API per kind: `/api/v1/tenants/{tenant}/grants/{kind}/{value}`. */
export const GRANT_PATH_KINDS = {
  owners: 'owner',
  installations: 'installation',
  'local-paths': 'local-path',
  'drive-files': 'drive-file',
  'drive-folders': 'drive-folder',
} as const;
export type GrantPathKind = keyof typeof GRANT_PATH_KINDS;
