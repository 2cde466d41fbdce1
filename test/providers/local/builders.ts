import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createLocalGitRepoProvider, type LocalGitRepoProvider } from '../../../shared/providers/index.ts';
import { createBareRepo, createWorkingRepo, tempDir } from '../../support/local-git.ts';

export function definitionYaml(id: string, version = '1.0.0'): string {
  return `id: ${id}\nname: Service ${id}\nlayer: backend\nversion: ${version}\nstatus: active\n`;
}

/** `n` definition files `architecture/definitions/svc-<i>.yaml`. */
export function definitionFiles(n: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i += 1) files[`architecture/definitions/svc-${i}.yaml`] = definitionYaml(`svc-${i}`);
  return files;
}

export interface RepoFixture {
  dir: string;
  repoDir: string;
  url: string;
  provider: LocalGitRepoProvider;
  cleanup: () => Promise<void>;
}

/** A bare (default) or working-copy repository in a temp folder with a provider on it. */
export async function repoFixture(
  files: Record<string, string>,
  options: { bare?: boolean; branch?: string } = {},
): Promise<RepoFixture> {
  const { dir, cleanup } = await tempDir('bridge-git-');
  const bare = options.bare ?? true;
  const repoDir = join(dir, bare ? 'repo.git' : 'repo');
  const url = bare
    ? await createBareRepo(repoDir, files, options.branch)
    : await createWorkingRepo(repoDir, files, options.branch);
  return { dir, repoDir, url, provider: createLocalGitRepoProvider({ path: repoDir }), cleanup };
}

/** repoFixture for the tests of one file: every fixture made during a test is removed after it. */
export function repoFixturesPerTest(): (...args: Parameters<typeof repoFixture>) => Promise<RepoFixture> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });
  return async (...args) => {
    const f = await repoFixture(...args);
    cleanups.push(f.cleanup);
    return f;
  };
}
