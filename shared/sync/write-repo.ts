import { createHash } from 'node:crypto';
import type { FileChange } from '../domain/index.ts';
import { BRIDGE_COMMIT_TRAILER } from '../ingress/own-commit.ts';
import type { RepoProvider, RepoSnapshot } from '../ports/index.ts';
import type { Link } from '../records/index.ts';

export interface PendingPullRequest {
  /** Hash of the proposed changes and the base commit they apply to. */
  fingerprint: string;
  /** Hash of the proposed changes alone: what a declined proposal is recognised by. */
  changes?: string;
  branch: string;
  headSha: string;
  number: number;
  url: string;
}

export interface RepoWriteResult {
  /** The link branch's head after the write (moves only for direct writes). */
  branchHead: string;
  commitSha?: string;
  pullRequest?: PendingPullRequest;
  /** The changes are the ones a person declined (their pull request was closed unmerged): not proposed. */
  declined?: DeclinedProposal;
}

export type DeclinedProposal = NonNullable<Link['declinedProposal']>;

export function pullRequestBranch(linkId: string): string {
  return `bridge/${linkId}`;
}

export function commitMessage(summary: string, operationId: string): string {
  return `${summary}\n\n${BRIDGE_COMMIT_TRAILER}: ${operationId}\n`;
}

function fingerprint(baseSha: string, changes: readonly FileChange[]): string {
  const hash = createHash('sha256').update(baseSha);
  for (const c of [...changes].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`\0${c.path}\0${c.content ?? '\u0000deleted'}`);
  }
  return hash.digest('hex').slice(0, 24);
}

/** The changes alone, whatever commit they apply to (unrelated commits on the branch leave it alone). */
export function changesFingerprint(changes: readonly FileChange[]): string {
  return fingerprint('', changes);
}

/**
 * Writes one sync's repository changes in ONE commit: on the link's branch (policy `direct`), or on
 * `bridge/<link>` with a pull request opened or updated. The commit never forces: if the branch moved
 * since it was read, the provider fails with `conflict` and the whole sync is retried.
 * A pull request already proposing exactly these changes on the same base is left alone, and
 * changes a person declined (closed their pull request unmerged) are not proposed again.
 */
export async function writeRepo(
  repo: RepoProvider,
  link: Pick<Link, 'id' | 'branch' | 'policy' | 'declinedProposal'> & {
    pendingPullRequest?: PendingPullRequest | undefined;
  },
  snapshot: RepoSnapshot,
  changes: readonly FileChange[],
  meta: { operationId: string; summary: string; body: string },
): Promise<RepoWriteResult> {
  if (changes.length === 0) return { branchHead: snapshot.headSha };
  const message = commitMessage(meta.summary, meta.operationId);
  if (link.policy.writes === 'direct') {
    const sha = await repo.commit({
      branch: link.branch,
      expectedHeadSha: snapshot.headSha,
      message,
      changes: [...changes],
    });
    return { branchHead: sha, commitSha: sha };
  }
  const branch = pullRequestBranch(link.id);
  const changesPrint = changesFingerprint(changes);
  if (link.declinedProposal?.changes === changesPrint) {
    return { branchHead: snapshot.headSha, declined: link.declinedProposal };
  }
  const print = fingerprint(snapshot.headSha, changes);
  const prHead = (await repo.headSha(branch)) ?? null;
  const pending = link.pendingPullRequest;
  if (pending && pending.fingerprint === print && pending.headSha === prHead) {
    // A proposal recorded before `changes` existed gets it now, so closing it can be recorded.
    return { branchHead: snapshot.headSha, pullRequest: { ...pending, changes: changesPrint } };
  }
  const propose = async (headSha: string): Promise<PendingPullRequest> => {
    const pr = await repo.openOrUpdatePullRequest({
      head: branch,
      base: link.branch,
      title: meta.summary,
      body: meta.body,
    });
    return { fingerprint: print, changes: changesPrint, branch, headSha, number: pr.number, url: pr.url };
  };
  // The branch moved without the state knowing (a crash after the commit, before the state was
  // recorded): if it already holds exactly these changes, propose it instead of committing them again.
  if (prHead && prHead !== pending?.headSha && (await holdsChanges(repo, branch, snapshot, changes))) {
    return { branchHead: snapshot.headSha, pullRequest: await propose(prHead) };
  }
  // The new commit's tree is the link branch's tree plus the changes; when the PR branch already
  // exists it also becomes a parent, so the branch moves forward without a force push.
  const sha = await repo.commit({
    branch,
    expectedHeadSha: prHead,
    baseSha: snapshot.headSha,
    message,
    changes: [...changes],
  });
  return {
    branchHead: snapshot.headSha,
    commitSha: sha,
    pullRequest: await propose(sha),
  };
}

/** Whether `branch`'s architecture files are the snapshot's with `changes` applied. */
async function holdsChanges(
  repo: RepoProvider,
  branch: string,
  snapshot: RepoSnapshot,
  changes: readonly FileChange[],
): Promise<boolean> {
  const expected = new Map(snapshot.architectureFiles.map((f) => [f.path, f.content]));
  for (const c of changes) {
    if (c.content === null) expected.delete(c.path);
    else if (c.path.startsWith('architecture/')) expected.set(c.path, c.content);
    else return false; // changes outside architecture/ are not in the snapshot: cannot tell
  }
  const onBranch = await repo.readSnapshot(branch);
  if (onBranch.architectureFiles.length !== expected.size) return false;
  return onBranch.architectureFiles.every((f) => expected.get(f.path) === f.content);
}
