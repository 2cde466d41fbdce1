/**
 * What one provider remembers between calls to save GitHub requests: conditional-request ETags,
 * immutable git objects (blob texts by oid, the tree of a commit, the paths of a tree).
 */
export interface ConditionalEntry<T> {
  etag: string;
  data: T;
}

export interface TreeListing {
  sha: string;
  truncated: boolean;
  tree: Array<{ path: string; mode: string; type: string; sha: string; size?: number }>;
}

const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const MAX_TREES = 64;

export class ProviderCache {
  /** `GET git/trees/{branch}?recursive=1` answers by branch, for If-None-Match. */
  readonly listings = new Map<string, ConditionalEntry<TreeListing>>();
  /** `GET git/ref/heads/{branch}` answers by branch, for If-None-Match. */
  readonly refs = new Map<string, ConditionalEntry<string>>();
  /** Commit sha → its tree sha. */
  readonly commitTrees = new Map<string, string>();
  /** Tree sha → paths of the blobs in it (when a full listing was seen). */
  readonly treePaths = new Map<string, Set<string>>();
  private readonly blobs = new Map<string, string>();
  private blobBytes = 0;

  blob(oid: string): string | undefined {
    return this.blobs.get(oid);
  }

  putBlob(oid: string, text: string): void {
    if (this.blobs.has(oid)) return;
    this.blobs.set(oid, text);
    this.blobBytes += text.length;
    for (const [old, value] of this.blobs) {
      if (this.blobBytes <= MAX_BLOB_BYTES) break;
      this.blobs.delete(old);
      this.blobBytes -= value.length;
    }
  }

  putTree(commitSha: string, treeSha: string, paths?: Set<string>): void {
    this.commitTrees.set(commitSha, treeSha);
    if (paths) this.treePaths.set(treeSha, paths);
    for (const map of [this.commitTrees, this.treePaths] as Map<string, unknown>[]) {
      while (map.size > MAX_TREES) map.delete(map.keys().next().value!);
    }
  }
}
