import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Environment for test git commands: no user config, a fixed identity, no prompts. */
export const TEST_GIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: devNull,
  GIT_TERMINAL_PROMPT: '0',
  LC_ALL: 'C',
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** Runs git in `cwd` and returns trimmed stdout. */
export async function git(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...TEST_GIT_ENV, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** A fresh temp folder and a function that removes it. */
export async function tempDir(
  prefix = 'bridge-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/**
 * Creates a bare repository at `dir` whose `branch` holds one commit with `files` (an empty commit
 * when there are none, so the branch exists). Returns its `file://` URL.
 */
export async function createBareRepo(
  dir: string,
  files: Record<string, string>,
  branch = 'main',
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '--quiet', '--bare', `--initial-branch=${branch}`]);
  const scratch = await mkdtemp(join(tmpdir(), 'bridge-seed-'));
  try {
    const work = join(scratch, 'tree');
    await mkdir(work);
    await writeTree(work, files);
    const env = { GIT_DIR: dir, GIT_WORK_TREE: work, GIT_INDEX_FILE: join(scratch, 'index') };
    await git(work, ['add', '--all'], env);
    await git(work, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', 'Initial commit'], env);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return pathToFileURL(dir).href;
}

/** Creates a working copy at `dir` with `files` committed on `branch` (checked out). Returns its URL. */
export async function createWorkingRepo(
  dir: string,
  files: Record<string, string>,
  branch = 'main',
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '--quiet', `--initial-branch=${branch}`]);
  await writeTree(dir, files);
  await git(dir, ['add', '--all']);
  await git(dir, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', 'Initial commit']);
  return pathToFileURL(dir).href;
}

/** Adds a commit to `branch` of a (bare or not) repository without touching any working tree. */
export async function commitFiles(
  repoDir: string,
  branch: string,
  files: Record<string, string | null>,
  message = 'Test commit',
): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'bridge-edit-'));
  try {
    const work = join(scratch, 'tree');
    await mkdir(work);
    const gitDir = await git(repoDir, ['rev-parse', '--absolute-git-dir']);
    const env = { GIT_DIR: gitDir, GIT_WORK_TREE: work, GIT_INDEX_FILE: join(scratch, 'index') };
    await git(work, ['read-tree', `refs/heads/${branch}`], env);
    for (const [path, content] of Object.entries(files)) {
      if (content === null) {
        await git(work, ['rm', '--cached', '--quiet', '--', path], env);
      } else {
        await writeTree(work, { [path]: content });
        await git(work, ['add', '--', path], env);
      }
    }
    const tree = await git(work, ['write-tree'], env);
    const parent = await git(work, ['rev-parse', `refs/heads/${branch}`], env);
    const sha = await git(work, ['commit-tree', tree, '-p', parent, '-m', message], env);
    await git(work, ['update-ref', `refs/heads/${branch}`, sha, parent], env);
    return sha;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

export interface LogEntry {
  sha: string;
  parents: string[];
  subject: string;
  author: string;
  committer: string;
}

/** Commits reachable from `branch`, newest first. */
export async function gitLog(repoDir: string, branch: string): Promise<LogEntry[]> {
  const out = await git(repoDir, [
    'log',
    '--format=%H%x1f%P%x1f%s%x1f%an <%ae>%x1f%cn <%ce>%x1e',
    `refs/heads/${branch}`,
    '--',
  ]);
  return out
    .split('\x1e')
    .map((record) => record.trim())
    .filter((record) => record.length > 0)
    .map((record) => {
      const [sha = '', parents = '', subject = '', author = '', committer = ''] = record.split('\x1f');
      return { sha, parents: parents.split(' ').filter((p) => p.length > 0), subject, author, committer };
    });
}

/** Files a commit changed against its first parent: `[{status: 'A'|'M'|'D', path}]`. */
export async function changedFiles(
  repoDir: string,
  sha: string,
): Promise<{ status: string; path: string }[]> {
  const out = await git(repoDir, ['show', '--format=', '--name-status', '--no-renames', sha]);
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [status = '', path = ''] = line.split('\t');
      return { status, path };
    });
}

/** A file's exact content at `ref`, or undefined when absent. */
export async function readFileAt(repoDir: string, ref: string, path: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['cat-file', 'blob', `${ref}:${path}`], {
      cwd: repoDir,
      env: TEST_GIT_ENV,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch {
    return undefined;
  }
}
