import { AppError } from '../../errors/index.ts';
import type { FileSelection, RepoFile, SelectedFiles } from '../../ports/index.ts';
import { NOT_TEXT } from '../repo-text.ts';
import { chooseFiles } from '../select-files.ts';
import { fetchBlobs } from './fetch-blobs.ts';
import { mapGithubError } from './map-github-error.ts';
import { branchNotFound, listBranch, type ReadContext, readLargeBlob } from './read-snapshot.ts';

const MAX_ATTEMPTS = 3;

/**
 * The files a selection wants, from one commit: the recursive tree listing (its sizes decide the
 * limits before anything is downloaded), then the chosen blobs in as few GraphQL queries as
 * readSnapshot uses. A branch that moved between the two is read again.
 */
export async function readFiles(
  ctx: ReadContext,
  branch: string,
  selection: FileSelection,
): Promise<SelectedFiles> {
  for (let attempt = 1; ; attempt++) {
    const listing = await listBranch(ctx, branch);
    const blobs = listing.tree
      .filter((e) => e.type === 'blob' && e.mode !== '120000')
      .map((e) => ({ ...e, size: e.size ?? 0 }));
    const { read, skipped } = chooseFiles(blobs, selection);
    let fetched: Awaited<ReturnType<typeof fetchBlobs>>;
    try {
      fetched = await fetchBlobs(ctx.octokit, { owner: ctx.owner, repo: ctx.repo, branch }, read);
    } catch (err) {
      throw mapGithubError(err, ctx.repoName, 'file read (GraphQL)');
    }
    if (!fetched.head) throw branchNotFound(ctx, branch);
    if (fetched.head.treeOid !== listing.sha) {
      ctx.cache.listings.delete(branch);
      if (attempt >= MAX_ATTEMPTS)
        throw new AppError('conflict', `GitHub file read on ${ctx.repoName}: branch "${branch}" kept moving`);
      continue;
    }
    const files: RepoFile[] = [];
    for (const entry of read) {
      const blob = fetched.blobs.get(entry.sha);
      const text =
        !blob || blob.isBinary
          ? undefined
          : blob.isTruncated || blob.text === null || blob.text.includes('\uFFFD')
            ? await readLargeBlob(ctx, entry.sha)
            : blob.text;
      if (text === undefined) skipped.push({ path: entry.path, reason: NOT_TEXT });
      else files.push({ path: entry.path, content: text });
    }
    return { headSha: fetched.head.oid, files, skipped, listingTruncated: listing.truncated };
  }
}
