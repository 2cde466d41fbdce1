import type { GithubOctokit } from './create-octokit.ts';

/**
 * Blob contents for many files in one GraphQL request: one aliased `object(oid:)` per blob
 * (`b0`, `b1`, …). GitHub limits a query's complexity, so blobs go `BLOBS_PER_QUERY` to a query:
 * the call count is one up to 100 files and grows by one per further 100 (it depends on the number
 * of files under architecture/ and of service manifests, never on the number of changed services).
 *
 * Blobs are asked for by oid (from the tree listing) rather than by `expression: "<rev>:<path>"`:
 * identical files are fetched once, and results are cached by oid (git objects are immutable).
 * The same first query also reads the branch's head commit and its tree, which the caller
 * compares with the tree it listed to be sure both came from one commit.
 */
export const BLOBS_PER_QUERY = 100;

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

export async function fetchBlobs(
  octokit: GithubOctokit,
  target: { owner: string; repo: string; branch: string },
  oids: string[],
): Promise<{ head: HeadInfo | undefined; blobs: Map<string, BlobText> }> {
  const unique = [...new Set(oids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += BLOBS_PER_QUERY) chunks.push(unique.slice(i, i + BLOBS_PER_QUERY));
  if (chunks.length === 0) chunks.push([]);
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
