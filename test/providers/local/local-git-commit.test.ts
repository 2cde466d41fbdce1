import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommitRequest } from '../../../shared/ports/index.ts';
import { createLocalGitRepoProvider } from '../../../shared/providers/index.ts';
import { changedFiles, commitFiles, git, gitLog, readFileAt } from '../../support/local-git.ts';
import { definitionFiles, definitionYaml, repoFixturesPerTest } from './builders.ts';

const fixture = repoFixturesPerTest();

const DEFS = 'architecture/definitions';

describe('LocalGitRepoProvider.commit', () => {
  it('writes a multi-file change (add, modify, delete) as one commit by the bridge identity', async () => {
    const { provider, repoDir } = await fixture({
      [`${DEFS}/a.yaml`]: definitionYaml('a'),
      [`${DEFS}/b.yaml`]: definitionYaml('b'),
      'architecture/notes.md': 'unmanaged',
    });
    const head = (await provider.headSha('main'))!;

    const sha = await provider.commit({
      branch: 'main',
      expectedHeadSha: head,
      message: 'Sync design → definitions\n\n3 services changed',
      changes: [
        { path: `${DEFS}/a.yaml`, content: definitionYaml('a', '2.0.0') },
        { path: `${DEFS}/b.yaml`, content: null },
        { path: `${DEFS}/c.yaml`, content: definitionYaml('c') },
        { path: `${DEFS}/nested/d.yaml`, content: definitionYaml('d') },
      ],
    });

    const log = await gitLog(repoDir, 'main');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      sha,
      parents: [head],
      subject: 'Sync design → definitions',
      author: 'Integration Bridge <bridge@localhost>',
      committer: 'Integration Bridge <bridge@localhost>',
    });
    expect(await changedFiles(repoDir, sha)).toEqual([
      { status: 'M', path: `${DEFS}/a.yaml` },
      { status: 'D', path: `${DEFS}/b.yaml` },
      { status: 'A', path: `${DEFS}/c.yaml` },
      { status: 'A', path: `${DEFS}/nested/d.yaml` },
    ]);
    expect(await readFileAt(repoDir, sha, `${DEFS}/a.yaml`)).toBe(definitionYaml('a', '2.0.0'));
    expect(await readFileAt(repoDir, sha, 'architecture/notes.md')).toBe('unmanaged');
    expect(await git(repoDir, ['log', '-1', '--format=%B', sha])).toBe(
      'Sync design → definitions\n\n3 services changed',
    );
  });

  it.each([1, 10, 100])('commits %i files with a constant number of git processes', async (n) => {
    const { provider, repoDir } = await fixture({ 'README.md': 'x' });
    const head = (await provider.headSha('main'))!;
    const before = provider.callCount();
    const changes = Object.entries(definitionFiles(n)).map(([path, content]) => ({ path, content }));

    const sha = await provider.commit({
      branch: 'main',
      expectedHeadSha: head,
      message: `add ${n}`,
      changes,
    });

    // rev-parse, hash-object, read-tree, update-index, write-tree, commit-tree, update-ref
    expect(provider.callCount() - before).toBe(7);
    expect(await changedFiles(repoDir, sha)).toHaveLength(n);
    expect(await gitLog(repoDir, 'main')).toHaveLength(2);
  });

  it('fails with conflict when the branch moved, and writes nothing', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' });
    const seen = (await provider.headSha('main'))!;
    const moved = await commitFiles(repoDir, 'main', { [`${DEFS}/a.yaml`]: 'someone else' });

    await expect(
      provider.commit({
        branch: 'main',
        expectedHeadSha: seen,
        message: 'stale write',
        changes: [{ path: `${DEFS}/a.yaml`, content: 'bridge' }],
      }),
    ).rejects.toMatchObject({ code: 'conflict', details: { expectedHeadSha: seen, headSha: moved } });

    expect(await provider.headSha('main')).toBe(moved);
    expect((await gitLog(repoDir, 'main')).map((c) => c.subject)).toEqual(['Test commit', 'Initial commit']);
  });

  it('lets exactly one of two concurrent writers from the same head win', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' });
    const other = createLocalGitRepoProvider({ path: repoDir });
    const head = (await provider.headSha('main'))!;
    const request = (who: string): CommitRequest => ({
      branch: 'main',
      expectedHeadSha: head,
      message: who,
      changes: [{ path: `${DEFS}/a.yaml`, content: who }],
    });

    const results = await Promise.allSettled([
      provider.commit(request('first')),
      other.commit(request('second')),
    ]);

    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    const log = await gitLog(repoDir, 'main');
    expect(log).toHaveLength(2);
    expect(log[0]?.sha).toBe((won[0] as PromiseFulfilledResult<string>).value);
  });

  it('creates a branch when expectedHeadSha is null, and refuses when it already exists', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' });
    const main = (await provider.headSha('main'))!;

    const sha = await provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: null,
      baseSha: main,
      message: 'proposal',
      changes: [{ path: `${DEFS}/a.yaml`, content: 'v2' }],
    });

    expect((await gitLog(repoDir, 'bridge/link-1'))[0]).toMatchObject({ sha, parents: [main] });
    expect(await provider.headSha('main')).toBe(main);
    await expect(
      provider.commit({
        branch: 'bridge/link-1',
        expectedHeadSha: null,
        baseSha: main,
        message: 'again',
        changes: [],
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('brings a pull-request branch up to date with its base in one merge commit', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' });
    const main = (await provider.headSha('main'))!;
    const pr = await provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: null,
      baseSha: main,
      message: 'proposal',
      changes: [{ path: `${DEFS}/a.yaml`, content: 'proposed' }],
    });
    const newMain = await commitFiles(repoDir, 'main', { [`${DEFS}/b.yaml`]: 'added on main' });

    const merged = await provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: pr,
      baseSha: newMain,
      message: 'update proposal',
      changes: [{ path: `${DEFS}/a.yaml`, content: 'proposed again' }],
    });

    expect((await gitLog(repoDir, 'bridge/link-1'))[0]).toMatchObject({
      sha: merged,
      parents: [pr, newMain],
    });
    expect(await readFileAt(repoDir, merged, `${DEFS}/b.yaml`)).toBe('added on main');
    expect(await readFileAt(repoDir, merged, `${DEFS}/a.yaml`)).toBe('proposed again');
  });

  it('makes no commit when the changes leave the tree as it was', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'same' });
    const head = (await provider.headSha('main'))!;
    const sha = await provider.commit({
      branch: 'main',
      expectedHeadSha: head,
      message: 'noop',
      changes: [{ path: `${DEFS}/a.yaml`, content: 'same' }],
    });
    expect(sha).toBe(head);
    expect(await gitLog(repoDir, 'main')).toHaveLength(1);
  });

  it.each([
    ['../outside.yaml'],
    ['architecture/../../etc/passwd'],
    ['/etc/passwd'],
    ['architecture//a.yaml'],
    ['architecture/./a.yaml'],
    ['.git/config'],
    ['architecture/.GIT/hooks/pre-commit'],
    ['architecture\\a.yaml'],
    ['C:/windows/a.yaml'],
    ['architecture/a\u0000.yaml'],
    ['architecture/'],
    [''],
  ])('rejects the path %j and writes nothing', async (path) => {
    const { provider, repoDir } = await fixture({ 'README.md': 'x' });
    const head = (await provider.headSha('main'))!;
    await expect(
      provider.commit({
        branch: 'main',
        expectedHeadSha: head,
        message: 'evil',
        changes: [
          { path: `${DEFS}/ok.yaml`, content: 'fine' },
          { path, content: 'evil' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await provider.headSha('main')).toBe(head);
    expect(await gitLog(repoDir, 'main')).toHaveLength(1);
  });

  it.each([
    ['-delete', 'a branch that reads as an option'],
    ['main..other', 'a range'],
    ['main@{1}', 'a reflog expression'],
    ['bad name', 'a space'],
    ['x.lock', 'a .lock suffix'],
  ])('rejects the branch %j (%s)', async (branch) => {
    const { provider } = await fixture({ 'README.md': 'x' });
    await expect(
      provider.commit({ branch, expectedHeadSha: null, message: 'm', changes: [] }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('rejects a change list naming one path twice', async () => {
    const { provider } = await fixture({ 'README.md': 'x' });
    const head = (await provider.headSha('main'))!;
    await expect(
      provider.commit({
        branch: 'main',
        expectedHeadSha: head,
        message: 'm',
        changes: [
          { path: `${DEFS}/a.yaml`, content: '1' },
          { path: `${DEFS}/a.yaml`, content: null },
        ],
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('rejects an expected head that is not a commit of the repository', async () => {
    const { provider } = await fixture({ 'README.md': 'x' });
    await expect(
      provider.commit({ branch: 'main', expectedHeadSha: 'f'.repeat(40), message: 'm', changes: [] }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('LocalGitRepoProvider on a working copy', () => {
  it('refuses to write the checked-out branch and leaves the working tree and index alone', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' }, { bare: false });
    await writeFile(join(repoDir, 'scratch.txt'), 'user work in progress');
    const head = (await provider.headSha('main'))!;
    const statusBefore = await git(repoDir, ['status', '--porcelain']);

    await expect(
      provider.commit({
        branch: 'main',
        expectedHeadSha: head,
        message: 'direct',
        changes: [{ path: `${DEFS}/a.yaml`, content: 'v2' }],
      }),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/checked out.*bare repository/),
    });

    expect(await provider.headSha('main')).toBe(head);
    expect(await git(repoDir, ['status', '--porcelain'])).toBe(statusBefore);
    expect(await readFile(join(repoDir, `${DEFS}/a.yaml`), 'utf8')).toBe('v1');
  });

  it('writes a branch that is not checked out without touching the checkout', async () => {
    const { provider, repoDir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' }, { bare: false });
    const head = (await provider.headSha('main'))!;

    const branchHead = await provider.ensureBranch('bridge/link-1', head);
    const sha = await provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: branchHead,
      message: 'proposal',
      changes: [{ path: `${DEFS}/a.yaml`, content: 'v2' }],
    });

    expect(await readFileAt(repoDir, sha, `${DEFS}/a.yaml`)).toBe('v2');
    expect(await git(repoDir, ['status', '--porcelain'])).toBe('');
    expect(await git(repoDir, ['symbolic-ref', '--short', 'HEAD'])).toBe('main');
    expect(await readFile(join(repoDir, `${DEFS}/a.yaml`), 'utf8')).toBe('v1');
  });

  it('refuses a branch checked out in a linked worktree of a bare repository', async () => {
    const { provider, repoDir, dir } = await fixture({ [`${DEFS}/a.yaml`]: 'v1' });
    const head = (await provider.headSha('main'))!;
    await git(repoDir, ['branch', 'feature', head]);
    await git(repoDir, ['worktree', 'add', '--quiet', join(dir, 'wt'), 'feature']);

    await expect(
      provider.commit({ branch: 'feature', expectedHeadSha: head, message: 'm', changes: [] }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      provider.commit({
        branch: 'main',
        expectedHeadSha: head,
        message: 'ok',
        changes: [{ path: 'x', content: 'x' }],
      }),
    ).resolves.toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('LocalGitRepoProvider branches', () => {
  it('reports the default branch from HEAD', async () => {
    const bare = await fixture({ 'a.txt': 'a' }, { branch: 'trunk' });
    const work = await fixture({ 'a.txt': 'a' }, { bare: false, branch: 'develop' });
    expect(await bare.provider.defaultBranch()).toBe('trunk');
    expect(await work.provider.defaultBranch()).toBe('develop');
  });

  it('fails clearly when HEAD is detached', async () => {
    const { provider, repoDir } = await fixture({ 'a.txt': 'a' }, { bare: false });
    await git(repoDir, ['checkout', '--quiet', '--detach']);
    await expect(provider.defaultBranch()).rejects.toMatchObject({ code: 'not_found', message: /detached/ });
  });

  it('creates a branch once and returns the existing head afterwards', async () => {
    const { provider, repoDir } = await fixture({ 'a.txt': 'a' });
    const main = (await provider.headSha('main'))!;
    expect(await provider.ensureBranch('bridge/link-1', main)).toBe(main);
    const moved = await commitFiles(repoDir, 'bridge/link-1', { 'b.txt': 'b' });
    expect(await provider.ensureBranch('bridge/link-1', main)).toBe(moved);
    expect(await provider.headSha('bridge/link-1')).toBe(moved);
  });

  it('rejects a branch start that is not a commit sha', async () => {
    const { provider } = await fixture({ 'a.txt': 'a' });
    await expect(provider.ensureBranch('x', 'HEAD')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(provider.ensureBranch('x', 'e'.repeat(40))).rejects.toMatchObject({
      code: 'upstream_failed',
    });
    expect(await provider.headSha('x')).toBeUndefined();
  });
});
