import type { AppContext } from '../app/index.ts';
import { LinkPolicy, type LinkPolicyInput } from '../domain/index.ts';
import { COLLECTIONS, type Link, newLinkId, type Operation } from '../links/index.ts';
import { queueSync } from './queue-sync.ts';

export interface NewLink {
  tenant: string;
  /** Canonical URLs, as the provider registry resolved them. */
  repo: string;
  branch: string;
  design: string;
  policy?: LinkPolicyInput | undefined;
}

/** Stores a new link (policy defaults applied) and queues its first sync. */
export async function createLink(
  ctx: Pick<AppContext, 'state' | 'publisher' | 'now' | 'logger'>,
  input: NewLink,
  trigger: string,
): Promise<{ link: Link; operation: Operation }> {
  const now = ctx.now().toISOString();
  const link: Link = {
    id: newLinkId(),
    tenant: input.tenant,
    repo: input.repo,
    branch: input.branch,
    design: input.design,
    policy: LinkPolicy.parse(input.policy ?? {}),
    status: 'out_of_sync',
    positions: {},
    openConflicts: 0,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.state.create(COLLECTIONS.links, link.id, link);
  const operation = await queueSync(ctx, link, { trigger });
  return { link, operation };
}
