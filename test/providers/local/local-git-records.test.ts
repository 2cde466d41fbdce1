import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalGitRepoProvider } from '../../../shared/providers/index.ts';
import { git, gitLog } from '../../support/local-git.ts';
import { repoFixturesPerTest } from './builders.ts';

const fixture = repoFixturesPerTest();

describe('LocalGitRepoProvider pull requests', () => {
  it('records one pull request per head and base, updated when opened again', async () => {
    const { provider, repoDir, url } = await fixture({ 'a.txt': 'a' });
    const main = (await provider.headSha('main'))!;
    await provider.ensureBranch('bridge/link-1', main);
    await provider.ensureBranch('bridge/link-2', main);

    const first = await provider.openOrUpdatePullRequest({
      head: 'bridge/link-1',
      base: 'main',
      title: 'Design changes',
      body: 'v1',
    });
    const again = await provider.openOrUpdatePullRequest({
      head: 'bridge/link-1',
      base: 'main',
      title: 'Design changes (updated)',
      body: 'v2',
    });
    const other = await provider.openOrUpdatePullRequest({
      head: 'bridge/link-2',
      base: 'main',
      title: 'B',
      body: '',
    });

    expect(first).toEqual({ number: 1, url: `${url}#pull/1/bridge/link-1` });
    expect(again).toEqual(first);
    expect(other.number).toBe(2);
    const pulls = await provider.pullRequests();
    expect(pulls).toHaveLength(2);
    expect(pulls[0]).toMatchObject({
      number: 1,
      head: 'bridge/link-1',
      base: 'main',
      title: 'Design changes (updated)',
      body: 'v2',
    });
    const stored = JSON.parse(await readFile(join(repoDir, 'bridge', 'pulls.json'), 'utf8'));
    expect(stored).toEqual(pulls);
  });

  it('numbers concurrent pull requests without losing one', async () => {
    const { provider } = await fixture({ 'a.txt': 'a' });
    const main = (await provider.headSha('main'))!;
    const heads = Array.from({ length: 8 }, (_, i) => `bridge/link-${i}`);
    for (const head of heads) await provider.ensureBranch(head, main);

    const opened = await Promise.all(
      heads.map((head) => provider.openOrUpdatePullRequest({ head, base: 'main', title: head, body: '' })),
    );

    expect(opened.map((p) => p.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await provider.pullRequests()).toHaveLength(8);
  });

  it('needs the head branch to exist', async () => {
    const { provider } = await fixture({ 'a.txt': 'a' });
    await expect(
      provider.openOrUpdatePullRequest({ head: 'bridge/none', base: 'main', title: 't', body: 'b' }),
    ).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('bridge/none') });
    expect(await provider.pullRequests()).toEqual([]);
  });
});

describe('LocalGitRepoProvider issues and statuses', () => {
  it('appends issues with increasing numbers', async () => {
    const { provider, url, repoDir } = await fixture({ 'a.txt': 'a' });
    const one = await provider.openIssue({
      title: 'Service removed: orders',
      body: 'review',
      labels: ['bridge'],
    });
    const two = await provider.openIssue({ title: 'Service removed: billing', body: 'review' });
    expect(one).toEqual({ number: 1, url: `${url}#issue/1` });
    expect(two.number).toBe(2);
    expect(await provider.issues()).toMatchObject([
      { number: 1, title: 'Service removed: orders', labels: ['bridge'], state: 'open' },
      { number: 2, title: 'Service removed: billing', labels: [], state: 'open' },
    ]);
    expect(JSON.parse(await readFile(join(repoDir, 'bridge', 'issues.json'), 'utf8'))).toHaveLength(2);
  });

  it('keeps the latest status per context on a commit', async () => {
    const { provider } = await fixture({ 'a.txt': 'a' });
    const sha = (await provider.headSha('main'))!;
    await provider.setCommitStatus(sha, {
      state: 'pending',
      context: 'bridge/raw',
      description: 'validating',
    });
    await provider.setCommitStatus(sha, {
      state: 'failure',
      context: 'bridge/raw',
      description: '1 invalid file',
    });
    await provider.setCommitStatus(sha, { state: 'success', context: 'bridge/sync', description: 'synced' });
    expect(await provider.commitStatuses(sha)).toMatchObject({
      'bridge/raw': { state: 'failure', description: '1 invalid file' },
      'bridge/sync': { state: 'success' },
    });
  });

  it('rejects a status for a commit the repository does not have', async () => {
    const { provider } = await fixture({ 'a.txt': 'a' });
    await expect(
      provider.setCommitStatus('a'.repeat(40), { state: 'success', context: 'c', description: 'd' }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('stores records in the git dir of a working copy, outside its files', async () => {
    const { provider, repoDir } = await fixture({ 'a.txt': 'a' }, { bare: false });
    await provider.openIssue({ title: 't', body: 'b' });
    expect(JSON.parse(await readFile(join(repoDir, '.git', 'bridge', 'issues.json'), 'utf8'))).toHaveLength(
      1,
    );
    expect(await git(repoDir, ['status', '--porcelain'])).toBe('');
  });

  it('reports a corrupt record file instead of overwriting it', async () => {
    const { provider, repoDir } = await fixture({ 'a.txt': 'a' });
    await provider.openIssue({ title: 't', body: 'b' });
    await writeFile(join(repoDir, 'bridge', 'issues.json'), '{not json');
    await expect(provider.openIssue({ title: 't2', body: 'b' })).rejects.toMatchObject({
      code: 'upstream_failed',
      message: expect.stringContaining('issues.json'),
    });
    expect(await readFile(join(repoDir, 'bridge', 'issues.json'), 'utf8')).toBe('{not json');
  });
});

describe('LocalGitRepoProvider process hygiene', () => {
  it('runs git with a minimal environment: no caller secrets, no prompts, no user config', async () => {
    const { repoDir, dir } = await fixture({ 'a.txt': 'a' });
    const envLog = join(dir, 'git-env.log');
    const wrapper = join(dir, 'git-wrapper.sh');
    await writeFile(wrapper, `#!/bin/sh\nenv >> "${envLog}"\nexec git "$@"\n`);
    await chmod(wrapper, 0o755);
    const provider = createLocalGitRepoProvider({
      path: repoDir,
      gitBinary: wrapper,
      env: { PATH: process.env.PATH, GITHUB_TOKEN: 'ghp_supersecret', GIT_DIR: '/elsewhere' },
    });

    const head = (await provider.headSha('main'))!;
    await provider.commit({
      branch: 'main',
      expectedHeadSha: head,
      message: 'm',
      changes: [{ path: 'b', content: 'b' }],
    });

    const seen = await readFile(envLog, 'utf8');
    expect(seen).not.toContain('ghp_supersecret');
    expect(seen).not.toContain('/elsewhere');
    expect(seen).toContain('GIT_TERMINAL_PROMPT=0');
    expect(seen).toContain('GIT_CONFIG_NOSYSTEM=1');
    expect(provider.callCount()).toBe(seen.split('GIT_TERMINAL_PROMPT=0').length - 1);
  });

  it('ignores the repository owner’s identity and signing settings for bridge commits', async () => {
    const { provider, repoDir } = await fixture({ 'a.txt': 'a' });
    await git(repoDir, ['config', 'user.name', 'Repo Owner']);
    await git(repoDir, ['config', 'commit.gpgSign', 'true']);
    const head = (await provider.headSha('main'))!;
    const sha = await provider.commit({
      branch: 'main',
      expectedHeadSha: head,
      message: 'm',
      changes: [{ path: 'b', content: 'b' }],
    });
    expect((await gitLog(repoDir, 'main'))[0]).toMatchObject({
      sha,
      author: 'Integration Bridge <bridge@localhost>',
    });
  });

  it('names the repository in git errors but not the environment', async () => {
    const { repoDir } = await fixture({ 'a.txt': 'a' });
    const provider = createLocalGitRepoProvider({
      path: repoDir,
      env: { PATH: process.env.PATH, SECRET: 's3cr3t' },
    });
    const error: unknown = await provider.ensureBranch('x', 'e'.repeat(40)).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toMatch(/^git update-ref failed in /);
    expect(message).toContain(repoDir);
    expect(message).not.toContain('s3cr3t');
  });

  it('reports a missing git executable as unavailable', async () => {
    const { repoDir } = await fixture({ 'a.txt': 'a' });
    const provider = createLocalGitRepoProvider({ path: repoDir, gitBinary: '/nonexistent/git' });
    await expect(provider.headSha('main')).rejects.toMatchObject({ code: 'unavailable' });
  });
});
