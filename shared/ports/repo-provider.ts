/**
 * Repository port: what the sync needs from GitHub or a local git repository. Reads are batched
 * (one snapshot of the files it cares about); writes of one sync are one commit.
 */
export interface RepoFile {
  path: string;
  content: string;
  /** Why the bytes are not text (binary, not UTF-8); `content` is then empty and the file is refused. */
  unreadable?: string;
}

export interface RepoSnapshot {
  /** Commit the snapshot was read at. */
  headSha: string;
  branch: string;
  /** Every file under `architecture/` (definitions, raw drop zone, unmanaged files). */
  architectureFiles: RepoFile[];
  /** Manifests of implemented services: files directly in `services/<name>/` such as package.json. */
  serviceManifests: RepoFile[];
}

/** Which files a whole-repository read takes (the bootstrap's), and how much at most. */
export interface FileSelection {
  /** Whether a file is wanted, by its path and size in bytes. */
  wants(path: string): boolean;
  /** At most this many files are read; the rest are reported as skipped. */
  maxFiles: number;
  /** A wanted file larger than this is skipped, not read. */
  maxFileBytes: number;
  /** Files stop being read once their sizes add up to this. */
  maxTotalBytes: number;
}

export interface SelectedFiles {
  headSha: string;
  /** Text files read, by path. */
  files: RepoFile[];
  /** Wanted files left out, and why (too large, over a limit, not text). */
  skipped: Array<{ path: string; reason: string }>;
  /** The host cut the listing itself (GitHub stops at 100,000 entries): files may be missing. */
  listingTruncated: boolean;
}

export interface FileChange {
  path: string;
  /** null deletes the file. */
  content: string | null;
}

export interface CommitRequest {
  branch: string;
  /**
   * The branch's head the caller saw; the ref update is a compare-and-swap (never forced) and fails
   * with AppError `conflict` if the branch moved. `null`: the branch must not exist yet; it is created.
   */
  expectedHeadSha: string | null;
  /**
   * Commit whose tree the changes apply to (default: expectedHeadSha). When it differs from
   * expectedHeadSha the new commit has both as parents (a merge), so a `bridge/<link>` pull-request
   * branch can be brought up to date with its base branch without a force push.
   */
  baseSha?: string;
  message: string;
  changes: FileChange[];
}

/** A repository webhook, as the provider lists it. */
export interface RepoWebhook {
  id: number;
  /** Where it delivers. */
  url: string;
  events: string[];
  active: boolean;
  /** GitHub's answer to the hook's latest delivery (`last_response`), where the provider reports it. */
  lastResponse?: { code: number | null; status: string | null };
}

/**
 * Whether the bridge must create the repository's webhook itself: yes for GitHub reached with a
 * token; no for a GitHub App (GitHub delivers the App's webhooks) or a local repository (none).
 */
export type WebhookSupport = { managed: true } | { managed: false; reason: string };

export interface RepoProvider {
  readonly kind: 'github' | 'local-git';
  /** Human-readable identity (owner/name or the local path), never containing credentials. */
  readonly displayName: string;
  defaultBranch(): Promise<string>;
  /** undefined when the branch does not exist. */
  headSha(branch: string): Promise<string | undefined>;
  readSnapshot(branch: string): Promise<RepoSnapshot>;
  /** Reads the files of a branch a selection wants, within its limits, from one commit. */
  readFiles(branch: string, selection: FileSelection): Promise<SelectedFiles>;
  /** Creates `branch` at `fromSha` if it does not exist; returns its head. */
  ensureBranch(branch: string, fromSha: string): Promise<string>;
  /** Writes every change in one commit without force; returns the new commit sha. */
  commit(request: CommitRequest): Promise<string>;
  /** Opens the pull request from `head` into `base`, or updates the open one. */
  openOrUpdatePullRequest(request: { head: string; base: string; title: string; body: string }): Promise<{
    number: number;
    url: string;
  }>;
  openIssue(request: {
    title: string;
    body: string;
    labels?: string[];
  }): Promise<{ number: number; url: string }>;
  /** Changes an issue's title, body or state (reopening a closed one with `state: 'open'`). */
  updateIssue(
    number: number,
    patch: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<{ number: number; url: string }>;
  commentOnIssue(number: number, body: string): Promise<void>;
  /**
   * The open issue carrying `label` whose body contains `marker`, if any: how a writer that crashed
   * after opening an issue finds it again instead of opening a second one.
   */
  findOpenIssue(query: {
    label: string;
    marker: string;
  }): Promise<{ number: number; url: string } | undefined>;
  setCommitStatus(
    sha: string,
    status: { state: 'success' | 'failure' | 'pending' | 'error'; context: string; description: string },
  ): Promise<void>;
  /** API calls made so far (per-sync accounting reads the difference). */
  callCount(): number;
  webhookSupport(): WebhookSupport;
  /** The repository's webhooks (empty when not managed). */
  listWebhooks(): Promise<RepoWebhook[]>;
  /** Creates a JSON webhook signed with `secret`; `forbidden`/`not_found` when the credentials may not. */
  createWebhook(hook: { url: string; secret: string; events: string[] }): Promise<RepoWebhook>;
  /**
   * Sets a new secret on a webhook, leaving the rest of its configuration as it is; `not_found` when
   * it is gone, `forbidden` when the credentials may not.
   */
  updateWebhook(id: number, patch: { secret: string }): Promise<void>;
  /** Deletes a webhook; one already gone counts as deleted. */
  deleteWebhook(id: number): Promise<void>;
}
