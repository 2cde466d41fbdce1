import type { AppContext } from '../context/index.ts';
import { LinkPolicy, type LinkPolicyInput } from '../domain/index.ts';
import { COLLECTIONS, type Link, newLinkId, type Operation } from '../records/index.ts';
import { queueSync } from '../sync/queue-sync.ts';
import { connectLink } from './connect-link.ts';

export interface NewLink {
  tenant: string;
  /** Canonical URLs, as the provider registry resolved them. */
  repo: string;
  branch: string;
  design: string;
  policy?: LinkPolicyInput | undefined;
}

/**
 * Stores a new link (policy defaults applied) and queues its first sync. The repository webhook and
 * the Drive channel are set up first, so the link is live at once; their outcome is stored with the
 * link (a failure there never stops the creation, and the hourly renewal retries).
 */
export async function createLink(
  ctx: AppContext,
  input: NewLink,
  trigger: string,
): Promise<{ link: Link; operation: Operation }> {
  const id = newLinkId();
  const connections = await connectLink(ctx, { id, ...input });
  const now = ctx.now().toISOString();
  const link: Link = {
    id,
    tenant: input.tenant,
    repo: input.repo,
    branch: input.branch,
    design: input.design,
    policy: LinkPolicy.parse(input.policy ?? {}),
    status: 'out_of_sync',
    positions: {},
    openConflicts: 0,
    ...connections,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.state.create(COLLECTIONS.links, link.id, link);
  const operation = await queueSync(ctx, link, { trigger });
  return { link, operation };
}
