import type { AppContext } from '../context/index.ts';
import type { AccessVerdict } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import type { TenantCredentials } from '../providers/index.ts';
import { COLLECTIONS, type Link } from '../records/index.ts';
import { checkLinkAccess, type LinkTarget } from './link-access.ts';

/**
 * What a link's providers act with, or a permanent 403 `forbidden` saying how to get access. A stored
 * link also records the refusal on itself (`access`, shown by the API), and clears it once access is
 * back: a revoked grant or a disconnected account is reported, never silently served by the
 * bridge's own credentials.
 */
export async function tenantCredentials(ctx: AppContext, link: LinkTarget): Promise<TenantCredentials> {
  const { verdict, credentials } = await checkLinkAccess(ctx, link);
  if (link.id !== undefined) await recordAccess(ctx, link.id, link.access, verdict);
  if (!verdict.allowed) throw new AppError('forbidden', verdict.reason);
  return credentials;
}

async function recordAccess(
  ctx: AppContext,
  linkId: string,
  known: Link['access'],
  verdict: AccessVerdict,
): Promise<void> {
  const unchanged = verdict.allowed
    ? known === undefined
    : known?.state === verdict.state && known.reason === verdict.reason;
  if (unchanged) return;
  await ctx.state
    .runTransaction(async (tx) => {
      const doc = await tx.get<Link>(COLLECTIONS.links, linkId);
      if (!doc) return;
      const { access: previous, ...rest } = doc.data;
      const access = verdict.allowed
        ? undefined
        : {
            state: verdict.state,
            reason: verdict.reason,
            since: previous?.state === verdict.state ? previous.since : ctx.now().toISOString(),
          };
      tx.update(
        COLLECTIONS.links,
        linkId,
        { ...rest, ...(access ? { access } : {}) },
        { ifVersion: doc.version },
      );
    })
    .catch((err: unknown) => ctx.logger.warn('link access not recorded', { linkId, error: err }));
}
