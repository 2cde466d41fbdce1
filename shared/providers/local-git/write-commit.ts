import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, isAppError } from '../../errors/index.ts';
import type { CommitRequest } from '../../ports/index.ts';
import { assertBranchName, assertObjectId, assertRepoPath } from './git-names.ts';
import type { GitRunner } from './git-runner.ts';

export interface RepoHandle {
  /** Bound to the repository (see openRepository). */
  git: GitRunner;
  /** Repository path for messages. */
  label: string;
  /** All-zero object id of the repository's hash algorithm: "the ref must not exist" for update-ref. */
  zeroOid: string;
  headSha(branch: string): Promise<string | undefined>;
}

export function validateCommitRequest(request: CommitRequest): void {
  assertBranchName(request.branch);
  if (request.expectedHeadSha !== null) assertObjectId(request.expectedHeadSha, 'expectedHeadSha');
  if (request.baseSha !== undefined) assertObjectId(request.baseSha, 'baseSha');
  if (request.message.trim().length === 0)
    throw new AppError('validation_failed', 'a commit message is required');
  const seen = new Set<string>();
  for (const change of request.changes) {
    assertRepoPath(change.path);
    if (seen.has(change.path)) {
      throw new AppError(
        'validation_failed',
        `path ${JSON.stringify(change.path)} is changed twice in one commit`,
      );
    }
    seen.add(change.path);
  }
}

/**
 * One commit with every change, built with plumbing on a temporary index (the repository's own
 * index and working tree are never read or written), then a compare-and-swap ref update: git
 * checks that the branch is still at `expectedHeadSha` (or absent) under the ref lock, so a writer
 * that lost the race gets `conflict` and its objects stay unreachable until gc.
 * git calls: rev-parse, hash-object, read-tree, update-index, write-tree, commit-tree, update-ref.
 */
export async function writeCommit(repo: RepoHandle, request: CommitRequest): Promise<string> {
  validateCommitRequest(request);
  const { git } = repo;
  const expected = request.expectedHeadSha;
  const treeBase = request.baseSha ?? expected;
  const parents = expected === null ? [] : [expected];
  if (request.baseSha !== undefined && request.baseSha !== expected) parents.push(request.baseSha);

  const work = await mkdtemp(join(tmpdir(), 'bridge-commit-'));
  try {
    const env = { GIT_INDEX_FILE: join(work, 'index') };
    const baseTree = treeBase === null ? undefined : await resolveBase(repo, parents, treeBase);

    const additions = request.changes.filter((c) => c.content !== null);
    await Promise.all(additions.map((c, i) => writeFile(join(work, `blob-${i}`), c.content ?? '', 'utf8')));
    const blobIds =
      additions.length === 0
        ? []
        : (
            await git.text(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
              input: additions.map((_c, i) => join(work, `blob-${i}`)).join('\n'),
            })
          ).split('\n');
    if (blobIds.length !== additions.length)
      throw new AppError('upstream_failed', `git hash-object failed in ${repo.label}`);

    await git.run(baseTree === undefined ? ['read-tree', '--empty'] : ['read-tree', baseTree], { env });
    const blobOf = new Map(additions.map((c, i) => [c.path, blobIds[i]]));
    // Mode 0 removes an index entry; `-z` keeps any file name intact (no quoting).
    const indexInfo = request.changes
      .map((c) =>
        c.content === null ? `0 ${repo.zeroOid}\t${c.path}\0` : `100644 ${blobOf.get(c.path)}\t${c.path}\0`,
      )
      .join('');
    if (indexInfo.length > 0)
      await git.run(['update-index', '-z', '--index-info'], { env, input: indexInfo });
    const tree = await git.text(['write-tree'], { env });

    const unchanged = treeBase !== null && tree === baseTree && parents.length <= 1;
    const commit = unchanged
      ? treeBase
      : await git.text(['commit-tree', '--no-gpg-sign', tree, ...parents.flatMap((p) => ['-p', p])], {
          input: request.message,
        });
    await updateRef(repo, request.branch, commit, expected, request.message);
    return commit;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Checks that the parents are commits of this repository and returns the tree the changes apply to. */
async function resolveBase(repo: RepoHandle, parents: string[], treeBase: string): Promise<string> {
  try {
    const lines = (
      await repo.git.text(['rev-parse', ...parents.map((p) => `${p}^{commit}`), `${treeBase}^{tree}`], {})
    ).split('\n');
    return lines[lines.length - 1] ?? '';
  } catch (err) {
    if (!isAppError(err)) throw err;
    throw new AppError(
      'validation_failed',
      `commit ${[...parents, treeBase].join(' or ')} is not in ${repo.label}`,
    );
  }
}

export async function updateRef(
  repo: RepoHandle,
  branch: string,
  sha: string,
  expected: string | null,
  message: string,
): Promise<void> {
  const reflog = `bridge: ${message.split('\n')[0]?.slice(0, 200) ?? ''}`;
  try {
    await repo.git.run(['update-ref', '-m', reflog, `refs/heads/${branch}`, sha, expected ?? repo.zeroOid]);
  } catch (err) {
    if (!isAppError(err)) throw err;
    const now = await repo.headSha(branch);
    // A mismatch, or another process holding the ref lock right now: either way the branch is moving.
    if (now !== (expected ?? undefined) || /cannot lock ref|File exists/i.test(err.message)) {
      throw new AppError(
        'conflict',
        `branch ${branch} in ${repo.label} moved: expected ${expected ?? 'no branch'}, found ${now ?? 'no branch'}`,
        { details: { branch, expectedHeadSha: expected, headSha: now ?? null } },
      );
    }
    throw err;
  }
}
