import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../errors/index.ts';
import type { CommitRequest, RepoFile, RepoProvider, RepoSnapshot } from '../../ports/index.ts';
import { decodeRepoText, NOT_TEXT } from '../repo-text.ts';
import { isArchitectureFile, isManagedArchitectureFile, isServiceManifest } from '../snapshot-paths.ts';
import {
  type IssueRecord,
  nextNumber,
  type PullRecord,
  readRecords,
  type StatusRecord,
  updateRecords,
} from './bridge-records.ts';
import { assertBranchName, assertObjectId } from './git-names.ts';
import { createGitRunner, type GitIdentity } from './git-runner.ts';
import { localIssues } from './local-issues.ts';
import { inHistoryOf, markMergedProposals } from './merged-proposals.ts';
import { type OpenedRepository, openRepository } from './open-repository.ts';
import { parseCatFileBatch, parseLsTree } from './parse-git-output.ts';
import { readLocalFiles } from './read-files.ts';
import { type RepoHandle, updateRef, writeCommit } from './write-commit.ts';

export interface LocalGitRepoOptions {
  /** Absolute path of a bare repository (`/x/repo.git`) or of a working copy's top folder. */
  path: string;
  gitBinary?: string;
  /** Only PATH is used (to find git). */
  env?: Record<string, string | undefined>;
  /** Author and committer of bridge commits (default `Integration Bridge <bridge@localhost>`). */
  identity?: GitIdentity;
  now?: () => Date;
}

export interface LocalGitRepoProvider extends RepoProvider {
  readonly kind: 'local-git';
  /** `file://` URL of the repository. */
  readonly url: string;
  /** Recorded "pull requests", issues and statuses (what GitHub would show). */
  pullRequests(): Promise<PullRecord[]>;
  issues(): Promise<IssueRecord[]>;
  commitStatuses(sha: string): Promise<Record<string, StatusRecord>>;
}

const STATUS_STATES = new Set(['success', 'failure', 'pending', 'error']);

/**
 * A local git repository through the real git CLI, standing in for GitHub. Reads never touch a
 * working tree; writes are plumbing commits with a compare-and-swap ref update. "Pull requests",
 * issues and commit statuses are JSON records in `<gitdir>/bridge/`.
 *
 * A working copy's checked-out branch is never written: git would not update the checkout, so the
 * user would see the bridge's commit as staged reverse changes. Writes to other branches (such as
 * `bridge/<link-id>`) are fine; to sync straight into a branch, use a bare repository.
 */
export function createLocalGitRepoProvider(options: LocalGitRepoOptions): LocalGitRepoProvider {
  const { path } = options;
  if (!isAbsolute(path)) throw new AppError('validation_failed', 'a local repository path must be absolute');
  const url = pathToFileURL(path).href;
  const now = options.now ?? (() => new Date());
  const runner = createGitRunner({
    label: path,
    ...(options.gitBinary === undefined ? {} : { gitBinary: options.gitBinary }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.identity === undefined ? {} : { identity: options.identity }),
  });

  let opening: Promise<OpenedRepository> | undefined;
  const repo = (): Promise<OpenedRepository> => {
    opening ??= openRepository(runner, path).catch((err: unknown) => {
      opening = undefined;
      throw err;
    });
    return opening;
  };

  const headSha = async (branch: string): Promise<string | undefined> => {
    assertBranchName(branch);
    const { git } = await repo();
    const result = await git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
      okCodes: [1],
    });
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  };

  const handle = async (): Promise<RepoHandle> => {
    const opened = await repo();
    return { git: opened.git, label: path, zeroOid: opened.zeroOid, headSha };
  };

  const assertNotCheckedOut = async (branch: string): Promise<void> => {
    const { git, bare, gitDir } = await repo();
    if (bare && !existsSync(join(gitDir, 'worktrees'))) return;
    const list = await git.text(['worktree', 'list', '--porcelain']);
    const worktrees = list.split('\n\n').map((block) => block.split('\n'));
    const holder = worktrees.find((lines) => lines.includes(`branch refs/heads/${branch}`));
    if (holder) {
      const where = holder.find((l) => l.startsWith('worktree '))?.slice('worktree '.length) ?? path;
      throw new AppError(
        'forbidden',
        `refusing to write branch ${branch}: it is checked out in ${where}, whose files git would not update. ` +
          'Link a bare repository (git clone --bare) or let the bridge write to a pull-request branch.',
      );
    }
  };

  const issues = localIssues(async () => (await repo()).gitDir, url, now);

  const requireBranch = async (branch: string): Promise<string> => {
    const sha = await headSha(branch);
    if (sha === undefined) throw new AppError('not_found', `branch ${branch} not found in ${path}`);
    return sha;
  };

  return {
    kind: 'local-git',
    displayName: path,
    url,
    callCount: () => runner.callCount(),
    headSha,

    async defaultBranch() {
      const { git } = await repo();
      const result = await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1] });
      const name = result.stdout.toString('utf8').trim();
      if (result.code !== 0 || name.length === 0) {
        throw new AppError('not_found', `HEAD of ${path} is detached: name the branch to sync explicitly`);
      }
      return name;
    },

    async readSnapshot(branch): Promise<RepoSnapshot> {
      const sha = await requireBranch(branch);
      const { git } = await repo();
      const tree = await git.run([
        'ls-tree',
        '-r',
        '-z',
        '--full-tree',
        sha,
        '--',
        'architecture',
        'services',
      ]);
      // Symbolic links (mode 120000) and submodules are skipped: their "content" is a target, not a file.
      const wanted = parseLsTree(tree.stdout).filter(
        (e) =>
          e.type === 'blob' &&
          e.mode !== '120000' &&
          (isArchitectureFile(e.path) || isServiceManifest(e.path)),
      );
      const oids = [...new Set(wanted.map((e) => e.oid))];
      const blobs =
        oids.length === 0
          ? new Map<string, Buffer>()
          : parseCatFileBatch(
              (await git.run(['cat-file', '--batch'], { input: `${oids.join('\n')}\n` })).stdout,
            );
      const files = wanted.map((e): RepoFile => {
        const blob = blobs.get(e.oid);
        if (blob === undefined)
          throw new AppError('upstream_failed', `object for ${e.path} missing in ${path}`);
        const text = decodeRepoText(blob);
        return text === undefined
          ? { path: e.path, content: '', unreadable: NOT_TEXT }
          : { path: e.path, content: text };
      });
      return {
        headSha: sha,
        branch,
        // Binary files elsewhere under architecture/ are unmanaged: left out, as GitHub's reader does.
        architectureFiles: files.filter(
          (f) =>
            isArchitectureFile(f.path) && (f.unreadable === undefined || isManagedArchitectureFile(f.path)),
        ),
        // A manifest that is not text says nothing about the implementation: left out of drift.
        serviceManifests: files.filter((f) => isServiceManifest(f.path) && f.unreadable === undefined),
      };
    },

    async readFiles(branch, selection) {
      const sha = await requireBranch(branch);
      return readLocalFiles((await repo()).git, sha, selection, path);
    },

    async ensureBranch(branch, fromSha) {
      assertObjectId(fromSha, 'fromSha');
      const existing = await headSha(branch);
      if (existing !== undefined) return existing;
      await assertNotCheckedOut(branch);
      try {
        await updateRef(await handle(), branch, fromSha, null, `create branch ${branch}`);
        return fromSha;
      } catch (err) {
        // Created by someone else in the meantime: that is the branch we wanted.
        const now = await headSha(branch);
        if (now !== undefined) return now;
        throw err;
      }
    },

    async commit(request: CommitRequest) {
      assertBranchName(request.branch);
      await assertNotCheckedOut(request.branch);
      return writeCommit(await handle(), request);
    },

    async openOrUpdatePullRequest({ head, base, title, body }) {
      const headCommit = await requireBranch(head);
      await requireBranch(base);
      const { git, gitDir } = await repo();
      const at = now().toISOString();
      // A head already in the base has nothing to merge: no commit to watch for.
      const proposed = (await inHistoryOf(git, headCommit, base)) ? {} : { headSha: headCommit };
      const number = await updateRecords(gitDir, 'pulls', async (pulls) => {
        // One merged by hand meanwhile is done: this is a new proposal.
        await markMergedProposals(git, pulls, at);
        const open = pulls.find((p) => p.head === head && p.base === base && p.state === 'open');
        if (open) {
          Object.assign(open, { title, body, ...proposed, updatedAt: at });
          return { next: pulls, result: open.number };
        }
        const created: PullRecord = {
          number: nextNumber(pulls),
          head,
          base,
          title,
          body,
          state: 'open',
          ...proposed,
          createdAt: at,
          updatedAt: at,
        };
        return { next: [...pulls, created], result: created.number };
      });
      return { number, url: `${url}#pull/${number}/${head}` };
    },

    ...issues,

    async setCommitStatus(sha, status) {
      assertObjectId(sha, 'sha');
      if (!STATUS_STATES.has(status.state))
        throw new AppError('validation_failed', `unknown status state ${status.state}`);
      const { git, gitDir } = await repo();
      const found = await git.run(['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], { okCodes: [1] });
      if (found.code !== 0) throw new AppError('validation_failed', `commit ${sha} is not in ${path}`);
      const record: StatusRecord = { ...status, updatedAt: now().toISOString() };
      await updateRecords(gitDir, 'statuses', (statuses) => {
        statuses[sha] = { ...statuses[sha], [status.context]: record };
        return { next: statuses, result: undefined };
      });
    },

    webhookSupport: () => ({
      managed: false,
      reason:
        'a local git repository sends no webhooks: the scheduler’s reconcile (every 15 minutes) or ' +
        '`bridge sync` picks up its commits',
    }),
    listWebhooks: async () => [],
    async createWebhook() {
      throw new AppError('validation_failed', 'a local git repository has no webhooks');
    },
    async updateWebhook() {
      throw new AppError('validation_failed', 'a local git repository has no webhooks');
    },
    async deleteWebhook() {
      throw new AppError('validation_failed', 'a local git repository has no webhooks');
    },

    async pullRequests() {
      const { git, gitDir } = await repo();
      const pulls = await readRecords(gitDir, 'pulls');
      if (!(await markMergedProposals(git, pulls, now().toISOString()))) return pulls;
      return updateRecords(gitDir, 'pulls', async (current) => {
        await markMergedProposals(git, current, now().toISOString());
        return { next: current, result: current };
      });
    },
    async issues() {
      return readRecords((await repo()).gitDir, 'issues');
    },
    async commitStatuses(sha) {
      return (await readRecords((await repo()).gitDir, 'statuses'))[sha] ?? {};
    },
  };
}
