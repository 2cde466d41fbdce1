import type { AppContext } from '../context/index.ts';
import { COLLECTIONS, type Link } from '../records/index.ts';
import { pullRequestBranch } from './write-repo.ts';

/** The link whose proposal branch (`bridge/<link id>`) a pull request came from, if any. */
export function linkIdOfProposalBranch(ref: string | undefined): string | undefined {
  const prefix = pullRequestBranch('');
  return ref?.startsWith(prefix) && ref.length > prefix.length ? ref.slice(prefix.length) : undefined;
}

/**
 * Records that a person closed the link's pull request without merging it: the proposal is declined,
 * so syncs stop proposing the same changes (the link shows `out_of_sync` with `declinedProposal`),
 * until the design or the definitions change. A closed pull request that is not the link's current
 * proposal changes nothing: same number AND same URL (a pull request of another repository may use a
 * branch named like this link's and have the same number). Returns whether it was recorded.
 */
export async function declineProposal(
  ctx: Pick<AppContext, 'state' | 'now' | 'logger'>,
  linkId: string,
  pull: { number: number; url: string },
): Promise<boolean> {
  const recorded = await ctx.state.runTransaction(async (tx) => {
    const doc = await tx.get<Link>(COLLECTIONS.links, linkId);
    const pending = doc?.data.pendingPullRequest;
    if (!doc || !pending?.changes || pending.number !== pull.number) return false;
    if (pending.url.toLowerCase() !== pull.url.toLowerCase()) return false;
    const at = ctx.now().toISOString();
    const { pendingPullRequest: _closed, ...rest } = doc.data;
    const next: Link = {
      ...rest,
      status:
        doc.data.status === 'paused' || doc.data.status === 'conflict' ? doc.data.status : 'out_of_sync',
      declinedProposal: { changes: pending.changes, number: pull.number, url: pull.url, at },
      updatedAt: at,
    };
    tx.update(COLLECTIONS.links, linkId, next, { ifVersion: doc.version });
    return true;
  });
  ctx.logger.info(
    recorded
      ? 'pull request closed without merging: its changes will not be proposed again'
      : 'closed pull request is not the link’s current proposal; nothing recorded',
    { linkId, pullRequest: pull.number },
  );
  return recorded;
}
