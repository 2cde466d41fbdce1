import { AppError } from '../../errors/index.ts';
import type { Logger } from '../../logging/index.ts';
import type { RepoFile, RepoSnapshot } from '../../ports/index.ts';
import { decodeRepoText, NOT_TEXT } from '../repo-text.ts';
import {
  isArchitectureFile,
  isManagedArchitectureFile,
  isServiceManifest,
  isSnapshotFile,
} from '../snapshot-paths.ts';
import type { GithubOctokit } from './create-octokit.ts';
import { fetchBlobs } from './fetch-blobs.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';
import type { ProviderCache, TreeListing } from './provider-cache.ts';

export interface ReadContext {
  owner: string;
  repo: string;
  repoName: string;
  logger: Logger;
  cache: ProviderCache;
  octokit: GithubOctokit;
}

type Entry = TreeListing['tree'][number];

const MAX_ATTEMPTS = 3;

/**
 * Reads a branch in two requests whatever the number of files:
 * 1. `GET git/trees/{branch}?recursive=1`, conditional (If-None-Match): a 304 reuses the cached
 *    listing and does not count against the rate limit;
 * 2. one GraphQL query with the branch head (commit oid and its tree oid) and every wanted blob
 *    not cached yet (up to 250 blobs / 2 MiB per query: see fetch-blobs.ts).
 * Listing by branch name saves a separate head read; the head's tree is compared with the listed
 * tree, and a branch that moved in between is read again. A truncated listing (GitHub cuts at
 * 100,000 entries or 7 MB) falls back to listing `architecture/` and `services/` on their own
 * (three more requests) and says so in the log.
 */
export async function readSnapshot(ctx: ReadContext, branch: string): Promise<RepoSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const listing = await listBranch(ctx, branch);
    const entries = listing.truncated ? await listTruncated(ctx, listing) : listing.tree;
    const wanted = entries.filter((e) => e.type === 'blob' && isSnapshotFile(e.path));
    const missing = wanted.filter((e) => ctx.cache.blob(e.sha) === undefined);
    let fetched: Awaited<ReturnType<typeof fetchBlobs>>;
    try {
      fetched = await fetchBlobs(ctx.octokit, { owner: ctx.owner, repo: ctx.repo, branch }, missing);
    } catch (err) {
      throw mapGithubError(err, ctx.repoName, 'snapshot read (GraphQL)');
    }
    const head = fetched.head;
    if (!head) throw branchNotFound(ctx, branch);
    if (head.treeOid !== listing.sha) {
      ctx.cache.listings.delete(branch);
      if (attempt >= MAX_ATTEMPTS) {
        throw new AppError(
          'conflict',
          `GitHub snapshot read on ${ctx.repoName}: branch "${branch}" kept moving`,
        );
      }
      continue;
    }
    // Not text: GitHub's own verdict (isBinary), or a large blob whose bytes are not UTF-8.
    const notText = new Set<string>();
    for (const [oid, blob] of fetched.blobs) {
      // GraphQL's text of bytes that are not UTF-8 holds U+FFFD: the bytes themselves decide.
      const text = blob.isBinary
        ? undefined
        : blob.isTruncated || blob.text === null || blob.text.includes('\uFFFD')
          ? await readLargeBlob(ctx, oid)
          : blob.text;
      if (text === undefined) notText.add(oid);
      else ctx.cache.putBlob(oid, text);
    }
    const blobPaths = new Set(entries.filter((e) => e.type === 'blob').map((e) => e.path));
    ctx.cache.putTree(head.oid, listing.sha, listing.truncated ? undefined : blobPaths);
    const architectureFiles: RepoFile[] = [];
    const serviceManifests: RepoFile[] = [];
    for (const e of [...wanted].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      const content = ctx.cache.blob(e.sha);
      if (content === undefined) {
        // A definition that cannot be read must not look deleted: it is kept, refused with the reason.
        if (notText.has(e.sha) && isManagedArchitectureFile(e.path))
          architectureFiles.push({ path: e.path, content: '', unreadable: NOT_TEXT });
        else ctx.logger.warn('Skipping a binary file in the snapshot', { repo: ctx.repoName, path: e.path });
        continue;
      }
      if (isArchitectureFile(e.path)) architectureFiles.push({ path: e.path, content });
      else if (isServiceManifest(e.path)) serviceManifests.push({ path: e.path, content });
    }
    return { headSha: head.oid, branch, architectureFiles, serviceManifests };
  }
}

export function branchNotFound(ctx: ReadContext, branch: string): AppError {
  return new AppError('not_found', `GitHub snapshot read on ${ctx.repoName}: branch "${branch}" not found`);
}

export async function listBranch(ctx: ReadContext, branch: string): Promise<TreeListing> {
  const cached = ctx.cache.listings.get(branch);
  try {
    const res = await ctx.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner: ctx.owner,
      repo: ctx.repo,
      tree_sha: branch,
      recursive: '1',
      headers: cached ? { 'if-none-match': cached.etag } : {},
    });
    const listing = res.data as TreeListing;
    if (res.headers.etag) ctx.cache.listings.set(branch, { etag: res.headers.etag, data: listing });
    return listing;
  } catch (err) {
    const status = statusOf(err);
    if (status === 304 && cached) return cached.data;
    // 409: "Git Repository is empty".
    if (status === 404 || status === 409) throw branchNotFound(ctx, branch);
    throw mapGithubError(err, ctx.repoName, 'tree listing');
  }
}

async function listTree(ctx: ReadContext, sha: string, recursive: boolean): Promise<TreeListing> {
  try {
    const { data } = await ctx.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner: ctx.owner,
      repo: ctx.repo,
      tree_sha: sha,
      ...(recursive ? { recursive: '1' } : {}),
    });
    return data as TreeListing;
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'tree listing');
  }
}

/** `services/` is listed two levels deep only (service folders and the files directly in them). */
async function listTruncated(ctx: ReadContext, listing: TreeListing): Promise<Entry[]> {
  ctx.logger.warn(
    'GitHub truncated the recursive tree listing; listing architecture/ and services/ separately',
    {
      repo: ctx.repoName,
      listedEntries: listing.tree.length,
    },
  );
  const root = await listTree(ctx, listing.sha, false);
  const dir = (name: string) => root.tree.find((e) => e.path === name && e.type === 'tree');
  const out: Entry[] = [];
  const architecture = dir('architecture');
  if (architecture) {
    const sub = await listTree(ctx, architecture.sha, true);
    if (sub.truncated) {
      ctx.logger.warn('architecture/ alone is too large to list: the snapshot is incomplete', {
        repo: ctx.repoName,
      });
    }
    out.push(...sub.tree.map((e) => ({ ...e, path: `architecture/${e.path}` })));
  }
  const services = dir('services');
  if (services) out.push(...(await listServices(ctx, services.sha)));
  return out;
}

interface GqlTreeEntry {
  name: string;
  type: string;
  oid: string;
  mode: number;
  object?: { entries?: GqlTreeEntry[] } | null;
}

async function listServices(ctx: ReadContext, servicesTree: string): Promise<Entry[]> {
  const query = `query($owner: String!, $name: String!, $oid: GitObjectID!) { repository(owner: $owner, name: $name) {
    object(oid: $oid) { ... on Tree { entries { name type oid mode object { ... on Tree { entries { name type oid mode } } } } } } } }`;
  try {
    const result = await ctx.octokit.graphql<{
      repository: { object: { entries?: GqlTreeEntry[] } | null } | null;
    }>(query, { owner: ctx.owner, name: ctx.repo, oid: servicesTree });
    const out: Entry[] = [];
    for (const service of result.repository?.object?.entries ?? []) {
      for (const file of service.object?.entries ?? []) {
        out.push({
          path: `services/${service.name}/${file.name}`,
          type: file.type,
          sha: file.oid,
          mode: file.mode.toString(8),
        });
      }
    }
    return out;
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'services listing (GraphQL)');
  }
}

/** GraphQL cuts large blob texts (`isTruncated`); the REST blob endpoint returns their bytes whole. */
export async function readLargeBlob(ctx: ReadContext, oid: string): Promise<string | undefined> {
  try {
    const { data } = await ctx.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      owner: ctx.owner,
      repo: ctx.repo,
      file_sha: oid,
    });
    if (data.encoding !== 'base64') return data.content;
    return decodeRepoText(Buffer.from(data.content, 'base64'));
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'blob read');
  }
}
