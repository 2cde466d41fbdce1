import type { GithubOctokit } from './create-octokit.ts';

/**
 * Blob contents for many files in one GraphQL request: one aliased `object(oid:)` per blob
 * (`b0`, `b1`, …). Blob objects are not connections, so a query costs one rate-limit point however
 * many aliases it has; what bounds a query is its response size and GitHub's 10-second timeout.
 * Blobs therefore go at most `BLOBS_PER_QUERY` (250) and about `BYTES_PER_QUERY` (2 MiB, from the
 * sizes in the tree listing) to a query: one query up to 250 small files (a repository of 100
 * services has about 200), one more per further chunk. The count depends on the size of
 * architecture/ and of the service manifests, never on the number of changed services.
 *
 * Blobs are asked for by oid (from the tree listing) rather than by `expression: "<rev>:<path>"`:
 * identical files are fetched once, and results are cached by oid (git objects are immutable).
 * The first query also reads the branch's head commit and its tree, which the caller compares
 * with the tree it listed to be sure both came from one commit.
 */
export const BLOBS_PER_QUERY = 250;
export const BYTES_PER_QUERY = 2 * 1024 * 1024;

export interface BlobText {
  text: string | null;
  isBinary: boolean;
  isTruncated: boolean;
  byteSize: number;
}

export interface HeadInfo {
  oid: string;
  treeOid: string;
}

interface RefNode {
  target?: { oid?: string; tree?: { oid?: string } } | null;
}

const BLOB_FIELDS = '... on Blob { text isBinary byteSize isTruncated }';

function buildQuery(oids: string[], withHead: boolean): string {
  const head = withHead
    ? 'head: ref(qualifiedName: $ref) { target { oid ... on Commit { tree { oid } } } }'
    : '';
  const blobs = oids.map((oid, i) => `b${i}: object(oid: ${JSON.stringify(oid)}) { ${BLOB_FIELDS} }`);
  const vars = withHead
    ? '$owner: String!, $name: String!, $ref: String!'
    : '$owner: String!, $name: String!';
  return `query(${vars}) { repository(owner: $owner, name: $name) { ${[head, ...blobs].filter(Boolean).join(' ')} } }`;
}

/** Greedy chunks of at most BLOBS_PER_QUERY blobs and about BYTES_PER_QUERY bytes (always one, maybe empty). */
export function chunkBlobs(wanted: Array<{ sha: string; size?: number }>): string[][] {
  const chunks: string[][] = [[]];
  let bytes = 0;
  const seen = new Set<string>();
  for (const { sha, size = 0 } of wanted) {
    if (seen.has(sha)) continue;
    seen.add(sha);
    const current = chunks.at(-1)!;
    if (current.length > 0 && (current.length >= BLOBS_PER_QUERY || bytes + size > BYTES_PER_QUERY)) {
      chunks.push([sha]);
      bytes = size;
    } else {
      current.push(sha);
      bytes += size;
    }
  }
  return chunks;
}

export async function fetchBlobs(
  octokit: GithubOctokit,
  target: { owner: string; repo: string; branch: string },
  wanted: Array<{ sha: string; size?: number }>,
): Promise<{ head: HeadInfo | undefined; blobs: Map<string, BlobText> }> {
  const chunks = chunkBlobs(wanted);
  const blobs = new Map<string, BlobText>();
  let head: HeadInfo | undefined;
  // Sequential on purpose: GitHub counts concurrent GraphQL requests towards secondary limits.
  for (const [index, chunk] of chunks.entries()) {
    const withHead = index === 0;
    const result = await octokit.graphql<{ repository: Record<string, unknown> | null }>(
      buildQuery(chunk, withHead),
      {
        owner: target.owner,
        name: target.repo,
        ...(withHead ? { ref: `refs/heads/${target.branch}` } : {}),
      },
    );
    const repository = result.repository ?? {};
    if (withHead) {
      const ref = repository.head as RefNode | null | undefined;
      const oid = ref?.target?.oid;
      const treeOid = ref?.target?.tree?.oid;
      head = oid && treeOid ? { oid, treeOid } : undefined;
    }
    chunk.forEach((oid, i) => {
      const node = repository[`b${i}`] as BlobText | null | undefined;
      if (node) blobs.set(oid, node);
    });
  }
  return { head, blobs };
}
