import { type CommitObject, type FlatEntry, type GitSignature, GitStore } from './git-store.ts';
import type { HookRecord } from './routes-hooks.ts';

export interface RepoSeed {
  /** Default branch, created with `files` (default 'main'). */
  branch?: string;
  /** Path → UTF-8 content of the first commit on the default branch. */
  files?: Record<string, string>;
  /** Installation id of the GitHub App on this repository (default: a generated one). */
  installationId?: number;
  /** Extra branches, each created at the first commit. */
  branches?: string[];
}

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt: string;
}

export interface IssueRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  labels: string[];
  state: 'open' | 'closed';
  createdAt: string;
  updatedAt?: string;
  closedAt?: string | null;
  comments?: Array<{ id: number; body: string; createdAt: string }>;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: string;
  context: string;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

const BOT: GitSignature = { name: 'loopback', email: 'loopback@example.test', date: '2024-01-01T00:00:00Z' };

/** One repository of the loopback server: git objects, refs, pulls, issues, statuses. */
export class LoopbackRepo {
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly installationId: number;
  readonly git = new GitStore();
  readonly refMap = new Map<string, string>();
  readonly pulls: PullRecord[] = [];
  readonly issues: IssueRecord[] = [];
  readonly statuses: StatusRecord[] = [];
  /** Repository webhooks (`/repos/{owner}/{repo}/hooks`). */
  readonly hooks: HookRecord[] = [];
  defaultBranch: string;
  private nextNumber = 1;
  private nextId: () => number;

  constructor(fullName: string, seed: RepoSeed, nextId: () => number) {
    const [owner, name] = fullName.split('/');
    if (!owner || !name) throw new Error(`repository key must be "owner/name", got "${fullName}"`);
    this.owner = owner;
    this.name = name;
    this.nextId = nextId;
    this.id = nextId();
    this.installationId = seed.installationId ?? 1000 + this.id;
    this.defaultBranch = seed.branch ?? 'main';
    const root = this.commitFiles(this.defaultBranch, seed.files ?? {}, 'Initial commit', { replace: true });
    for (const b of seed.branches ?? []) this.refMap.set(`refs/heads/${b}`, root);
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  allocateNumber(): number {
    return this.nextNumber++;
  }

  allocateId(): number {
    return this.nextId();
  }

  /** Head sha of a branch, or undefined. */
  head(branch: string): string | undefined {
    return this.refMap.get(`refs/heads/${branch}`);
  }

  /** Resolves a sha, a branch, `heads/x`, `refs/heads/x` or a tag name to an object sha. */
  resolve(rev: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(rev) && this.git.typeOf(rev)) return rev;
    for (const candidate of [rev, `refs/${rev}`, `refs/heads/${rev}`, `refs/tags/${rev}`]) {
      const sha = this.refMap.get(candidate);
      if (sha) return sha;
    }
    return undefined;
  }

  /**
   * Writes a commit on `branch` as someone else's push would (tests use it to move a branch under
   * the provider). `null` content deletes; with `replace` the files are the whole tree.
   */
  commitFiles(
    branch: string,
    files: Record<string, string | null>,
    message = 'External change',
    options: { replace?: boolean } = {},
  ): string {
    const parent = this.head(branch);
    const base = parent && !options.replace ? this.git.flatten(this.git.peelToTree(parent)!) : new Map();
    const flat = new Map<string, FlatEntry>(base);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) flat.delete(path);
      else flat.set(path, { mode: '100644', type: 'blob', sha: this.git.writeBlob(content) });
    }
    const tree = this.git.buildTree(flat);
    const sha = this.git.writeCommit({
      tree,
      parents: parent ? [parent] : [],
      message,
      author: BOT,
      committer: BOT,
    });
    this.refMap.set(`refs/heads/${branch}`, sha);
    return sha;
  }

  /** Path → content of every file at a ref or sha (binary files as latin1). */
  files(rev: string = this.defaultBranch): Record<string, string> {
    const sha = this.resolve(rev);
    const tree = sha ? this.git.peelToTree(sha) : undefined;
    if (!tree) throw new Error(`${this.fullName}: unknown revision ${rev}`);
    const out: Record<string, string> = {};
    for (const [path, e] of this.git.flatten(tree)) {
      out[path] = this.git.blobs.get(e.sha)?.toString('utf8') ?? '';
    }
    return out;
  }

  /** First-parent history of a branch, newest first. */
  commits(branch: string = this.defaultBranch): CommitObject[] {
    const out: CommitObject[] = [];
    let sha = this.head(branch);
    while (sha) {
      const c = this.git.commits.get(sha);
      if (!c) break;
      out.push(c);
      sha = c.parents[0];
    }
    return out;
  }

  /** Ref name → sha, e.g. `{ 'refs/heads/main': '…' }`. */
  refs(): Record<string, string> {
    return Object.fromEntries(this.refMap);
  }
}
