import { AppError } from '../../errors/index.ts';
import type { CommitRequest } from '../../ports/index.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';
import type { ReadContext } from './read-snapshot.ts';

/**
 * One commit with the Git Data API, in three requests whatever the number of files:
 * `POST git/trees` (base_tree + inline contents, `sha: null` deletes) → `POST git/commits` →
 * `PATCH git/refs/heads/{branch}` with `force: false` (or `POST git/refs` for a new branch).
 *
 * Why not GraphQL `createCommitOnBranch` (one request, `expectedHeadOid`)? It can only add a
 * single-parent commit on an existing branch: it cannot write the two-parent commit that brings a
 * `bridge/<link>` branch up to date with its base (CommitRequest.baseSha), nor create the branch
 * in the same step. The Git Data API does both, and its ref update is still a compare-and-swap:
 * a non-forced update that is not a fast-forward of the current head is refused with 422.
 * (One gap: a branch force-pushed back to an ancestor of expectedHeadSha still fast-forwards.)
 *
 * The tree of the base commit comes from the snapshot read's cache; otherwise one more request
 * (`GET git/commits/{sha}`) fetches it.
 */
export async function commitChanges(ctx: ReadContext, request: CommitRequest): Promise<string> {
  const { expectedHeadSha: parent, branch } = request;
  const base = request.baseSha ?? parent;
  const params = { owner: ctx.owner, repo: ctx.repo };
  const fail = (step: string) => (err: unknown) => {
    throw mapGithubError(err, ctx.repoName, `commit to "${branch}" (${step})`);
  };

  const baseTree = base ? await treeOf(ctx, base) : undefined;
  const parents = parent ? (base && base !== parent ? [parent, base] : [parent]) : base ? [base] : [];
  const known = baseTree ? ctx.cache.treePaths.get(baseTree) : undefined;
  // GitHub refuses (422) to delete a path the base tree does not have; such a deletion is a no-op.
  const changes = request.changes.filter((c) => c.content !== null || !known || known.has(c.path));

  if (changes.length === 0 && parents.length <= 1 && base) {
    if (parent) return parent;
    await createRef(ctx, branch, base).catch(fail('create ref'));
    return base;
  }
  let tree = baseTree;
  if (changes.length > 0 || !tree) {
    const { data } = await ctx.octokit
      .request('POST /repos/{owner}/{repo}/git/trees', {
        ...params,
        ...(baseTree ? { base_tree: baseTree } : {}),
        tree: changes.map((c) =>
          c.content === null
            ? { path: c.path, mode: '100644' as const, type: 'blob' as const, sha: null }
            : { path: c.path, mode: '100644' as const, type: 'blob' as const, content: c.content },
        ),
      })
      .catch(fail('tree'));
    tree = data.sha;
  }
  const { data: commit } = await ctx.octokit
    .request('POST /repos/{owner}/{repo}/git/commits', { ...params, message: request.message, tree, parents })
    .catch(fail('commit'));
  if (parent) {
    await ctx.octokit
      .request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...params,
        ref: `heads/${branch}`,
        sha: commit.sha,
        force: false,
      })
      .catch((err: unknown) => {
        // A missing ref is also "the branch is not where the caller saw it".
        if (
          statusOf(err) === 422 &&
          /does not exist/i.test(
            JSON.stringify((err as { response?: { data?: unknown } }).response?.data ?? ''),
          )
        ) {
          throw new AppError(
            'conflict',
            `GitHub commit to "${branch}" on ${ctx.repoName}: the branch no longer exists`,
            { cause: err },
          );
        }
        fail('ref update')(err);
      });
  } else {
    await createRef(ctx, branch, commit.sha).catch(fail('create ref'));
  }
  ctx.cache.putTree(commit.sha, tree);
  return commit.sha;
}

export async function createRef(ctx: ReadContext, branch: string, sha: string): Promise<void> {
  await ctx.octokit.request('POST /repos/{owner}/{repo}/git/refs', {
    owner: ctx.owner,
    repo: ctx.repo,
    ref: `refs/heads/${branch}`,
    sha,
  });
}

async function treeOf(ctx: ReadContext, commitSha: string): Promise<string> {
  const cached = ctx.cache.commitTrees.get(commitSha);
  if (cached) return cached;
  try {
    const { data } = await ctx.octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
      owner: ctx.owner,
      repo: ctx.repo,
      commit_sha: commitSha,
    });
    ctx.cache.putTree(commitSha, data.tree.sha);
    return data.tree.sha;
  } catch (err) {
    if (statusOf(err) === 404 || statusOf(err) === 422) {
      throw new AppError('conflict', `GitHub commit on ${ctx.repoName}: commit ${commitSha} does not exist`, {
        cause: err,
      });
    }
    throw mapGithubError(err, ctx.repoName, 'commit read');
  }
}
