import { realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError, isAppError } from '../../errors/index.ts';
import type { GitResult, GitRunner, GitRunOptions } from './git-runner.ts';

export interface OpenedRepository {
  /** Absolute git directory (the repository itself when bare, `<path>/.git` for a working copy). */
  gitDir: string;
  bare: boolean;
  /** All-zero object id in the repository's hash algorithm (sha1 or sha256). */
  zeroOid: string;
  /** Runs git against this repository only (`--git-dir`, no discovery, cwd = git dir). */
  git: GitRunner;
}

/**
 * Finds the repository at exactly `path`: GIT_CEILING_DIRECTORIES stops git from walking up, so a
 * folder inside some other repository is "not a repository" rather than that other repository.
 */
export async function openRepository(git: GitRunner, path: string): Promise<OpenedRepository> {
  const real = await realpath(path).catch(() => undefined);
  const info = real === undefined ? undefined : await stat(real).catch(() => undefined);
  if (real === undefined || !info?.isDirectory())
    throw new AppError('not_found', `git repository not found: ${path}`);
  let out: string;
  try {
    out = await git.text(
      ['rev-parse', '--absolute-git-dir', '--is-bare-repository', '--show-object-format'],
      {
        cwd: real,
        env: { GIT_CEILING_DIRECTORIES: dirname(real) },
      },
    );
  } catch (err) {
    if (isAppError(err) && err.code === 'upstream_failed') {
      throw new AppError('not_found', `not a git repository: ${path}`);
    }
    throw err;
  }
  const [gitDir, bare, format] = out.split('\n');
  if (!gitDir || !bare || !format)
    throw new AppError('upstream_failed', `git rev-parse gave no answer in ${path}`);
  const prefix = `--git-dir=${gitDir}`;
  return {
    gitDir,
    bare: bare === 'true',
    zeroOid: '0'.repeat(format === 'sha256' ? 64 : 40),
    git: {
      run: (args: string[], options: GitRunOptions = {}): Promise<GitResult> =>
        git.run([prefix, ...args], { ...options, cwd: gitDir }),
      text: (args: string[], options: GitRunOptions = {}): Promise<string> =>
        git.text([prefix, ...args], { ...options, cwd: gitDir }),
      callCount: git.callCount,
    },
  };
}
