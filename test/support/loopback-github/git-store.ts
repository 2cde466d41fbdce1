import { createHash } from 'node:crypto';

/**
 * In-memory git object database. Object ids are real git SHA-1s (`<type> <size>\0<body>`), so shas
 * look and behave like GitHub's: identical content gives identical blobs and trees.
 */
export type TreeEntryType = 'blob' | 'tree' | 'commit';

export interface TreeEntry {
  name: string;
  mode: string;
  type: TreeEntryType;
  sha: string;
}

export interface GitSignature {
  name: string;
  email: string;
  date: string;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitSignature;
  committer: GitSignature;
}

export interface FlatEntry {
  mode: string;
  type: TreeEntryType;
  sha: string;
}

/** A change to a tree, as `POST /git/trees` takes it: `sha: null` deletes, `content` writes a blob. */
export interface TreeChange {
  path: string;
  mode: string;
  type: TreeEntryType;
  sha?: string | null;
  content?: string;
}

export class GitStoreError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function hashObject(type: string, body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

/** Git sorts tree entries by name, comparing trees as if their name ended in '/'. */
function treeSortKey(entry: TreeEntry): string {
  return entry.type === 'tree' ? `${entry.name}/` : entry.name;
}

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, CommitObject>();

  writeBlob(content: string | Buffer): string {
    const body = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const sha = hashObject('blob', body);
    this.blobs.set(sha, body);
    return sha;
  }

  writeTree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort((a, b) => (treeSortKey(a) < treeSortKey(b) ? -1 : 1));
    const parts = sorted.map((e) =>
      Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, 'hex')]),
    );
    const sha = hashObject('tree', Buffer.concat(parts));
    this.trees.set(sha, sorted);
    return sha;
  }

  writeCommit(input: Omit<CommitObject, 'sha'>): string {
    const sig = (s: GitSignature) => `${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
    const text = [
      `tree ${input.tree}`,
      ...input.parents.map((p) => `parent ${p}`),
      `author ${sig(input.author)}`,
      `committer ${sig(input.committer)}`,
      '',
      input.message,
    ].join('\n');
    const sha = hashObject('commit', Buffer.from(text, 'utf8'));
    this.commits.set(sha, { ...input, sha });
    return sha;
  }

  typeOf(sha: string): TreeEntryType | undefined {
    if (this.blobs.has(sha)) return 'blob';
    if (this.trees.has(sha)) return 'tree';
    if (this.commits.has(sha)) return 'commit';
    return undefined;
  }

  /** Tree sha of a tree-ish (a tree or a commit). */
  peelToTree(sha: string): string | undefined {
    if (this.trees.has(sha)) return sha;
    return this.commits.get(sha)?.tree;
  }

  /** Every blob under a tree, keyed by full path. */
  flatten(treeSha: string, prefix = '', out = new Map<string, FlatEntry>()): Map<string, FlatEntry> {
    for (const e of this.trees.get(treeSha) ?? []) {
      const path = `${prefix}${e.name}`;
      if (e.type === 'tree') this.flatten(e.sha, `${path}/`, out);
      else out.set(path, { mode: e.mode, type: e.type, sha: e.sha });
    }
    return out;
  }

  /** Every entry (trees included) under a tree, depth first, as GitHub's recursive listing. */
  listRecursive(treeSha: string, prefix = ''): Array<TreeEntry & { path: string }> {
    const out: Array<TreeEntry & { path: string }> = [];
    for (const e of this.trees.get(treeSha) ?? []) {
      const path = `${prefix}${e.name}`;
      out.push({ ...e, path });
      if (e.type === 'tree') out.push(...this.listRecursive(e.sha, `${path}/`));
    }
    return out;
  }

  /** Builds nested trees from a flat path map; returns the root tree sha. */
  buildTree(flat: Map<string, FlatEntry>): string {
    const root = new Map<string, FlatEntry | Map<string, unknown>>();
    for (const [path, entry] of flat) {
      const parts = path.split('/');
      let dir = root;
      for (const part of parts.slice(0, -1)) {
        let next = dir.get(part);
        if (!(next instanceof Map)) {
          next = new Map();
          dir.set(part, next);
        }
        dir = next as Map<string, FlatEntry | Map<string, unknown>>;
      }
      dir.set(parts.at(-1)!, entry);
    }
    const write = (dir: Map<string, unknown>): string =>
      this.writeTree(
        [...dir].map(([name, v]) =>
          v instanceof Map
            ? { name, mode: '040000', type: 'tree' as const, sha: write(v) }
            : { name, ...(v as FlatEntry) },
        ),
      );
    return write(root);
  }

  /** `POST /git/trees` semantics, including GitHub's 422 for deleting a path that is not there. */
  applyChanges(baseTree: string | undefined, changes: TreeChange[]): string {
    const flat = baseTree ? this.flatten(baseTree) : new Map<string, FlatEntry>();
    for (const c of changes) {
      if (!isSafePath(c.path)) throw new GitStoreError(422, `tree.path contains a malformed path component`);
      if (c.content !== undefined) {
        flat.set(c.path, { mode: c.mode, type: 'blob', sha: this.writeBlob(c.content) });
      } else if (c.sha === null) {
        const under = [...flat.keys()].filter((p) => p === c.path || p.startsWith(`${c.path}/`));
        if (under.length === 0) throw new GitStoreError(422, 'GitRPC::BadObjectState');
        for (const p of under) flat.delete(p);
      } else if (c.sha !== undefined) {
        if (c.type === 'tree') {
          for (const [p, e] of this.flatten(c.sha)) flat.set(`${c.path}/${p}`, e);
        } else {
          if (!this.typeOf(c.sha)) throw new GitStoreError(422, `tree.sha ${c.sha} is not a valid blob`);
          flat.set(c.path, { mode: c.mode, type: c.type, sha: c.sha });
        }
      } else {
        throw new GitStoreError(422, 'Must supply either tree.sha or tree.content.');
      }
    }
    return this.buildTree(flat);
  }

  /** True when `ancestor` is reachable from `descendant` through parents. */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const stack = [descendant];
    while (stack.length > 0) {
      const sha = stack.pop()!;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      stack.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }
}

function isSafePath(path: string): boolean {
  return path.length > 0 && path.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}
