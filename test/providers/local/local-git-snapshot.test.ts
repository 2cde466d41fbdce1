import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalGitRepoProvider } from '../../../shared/providers/index.ts';
import { commitFiles, git, tempDir } from '../../support/local-git.ts';
import { definitionFiles, definitionYaml, repoFixturesPerTest } from './builders.ts';

const fixture = repoFixturesPerTest();

describe('LocalGitRepoProvider.readSnapshot', () => {
  it('returns every architecture file and only the manifests directly in services/<name>/', async () => {
    const { provider, repoDir } = await fixture({
      'architecture/definitions/orders.yaml': definitionYaml('orders'),
      'architecture/raw/drop.json': '{"components":[]}',
      'architecture/notes/README.md': 'unmanaged',
      'services/orders/package.json': '{"name":"orders"}',
      'services/orders/Dockerfile': 'FROM node:24',
      'services/billing/go.mod': 'module billing',
      'services/billing/pyproject.toml': '[project]',
      'services/legacy/Legacy.csproj': '<Project/>',
      'services/orders/src/index.ts': 'export {}',
      'services/orders/lib/package.json': '{"nested":true}',
      'services/package.json': '{"root":true}',
      'services/orders/README.md': 'not a manifest',
      'architecture-old/x.yaml': 'not under architecture/',
      'README.md': 'top',
    });
    const head = await git(repoDir, ['rev-parse', 'refs/heads/main']);

    const snapshot = await provider.readSnapshot('main');

    expect(snapshot.headSha).toBe(head);
    expect(snapshot.branch).toBe('main');
    expect(snapshot.architectureFiles).toEqual([
      { path: 'architecture/definitions/orders.yaml', content: definitionYaml('orders') },
      { path: 'architecture/notes/README.md', content: 'unmanaged' },
      { path: 'architecture/raw/drop.json', content: '{"components":[]}' },
    ]);
    expect(snapshot.serviceManifests.map((f) => f.path).sort()).toEqual([
      'services/billing/go.mod',
      'services/billing/pyproject.toml',
      'services/legacy/Legacy.csproj',
      'services/orders/Dockerfile',
      'services/orders/package.json',
    ]);
    expect(snapshot.serviceManifests.find((f) => f.path === 'services/orders/package.json')?.content).toBe(
      '{"name":"orders"}',
    );
  });

  it.each([1, 10, 100])('reads %i definition files with a constant number of git processes', async (n) => {
    const { provider } = await fixture(definitionFiles(n));
    await provider.defaultBranch(); // opens the repository (one rev-parse) outside the measurement

    const before = provider.callCount();
    const snapshot = await provider.readSnapshot('main');

    expect(snapshot.architectureFiles).toHaveLength(n);
    expect(
      snapshot.architectureFiles.find((f) => f.path === `architecture/definitions/svc-${n - 1}.yaml`)
        ?.content,
    ).toBe(definitionYaml(`svc-${n - 1}`));
    // rev-parse (head), ls-tree, cat-file --batch
    expect(provider.callCount() - before).toBe(3);
  });

  it('keeps identical contents in different files apart and UTF-8 intact', async () => {
    const { provider } = await fixture({
      'architecture/definitions/a.yaml': 'same',
      'architecture/definitions/b.yaml': 'same',
      'architecture/definitions/ünïcode.yaml': 'name: Café ☕\n',
    });
    const snapshot = await provider.readSnapshot('main');
    expect(snapshot.architectureFiles).toEqual([
      { path: 'architecture/definitions/a.yaml', content: 'same' },
      { path: 'architecture/definitions/b.yaml', content: 'same' },
      { path: 'architecture/definitions/ünïcode.yaml', content: 'name: Café ☕\n' },
    ]);
  });

  it('reads a branch without architecture/ or services/ as empty', async () => {
    const { provider } = await fixture({ 'README.md': 'only this' });
    const snapshot = await provider.readSnapshot('main');
    expect(snapshot.architectureFiles).toEqual([]);
    expect(snapshot.serviceManifests).toEqual([]);
  });

  it('reads the committed tree of a working copy, not its uncommitted edits', async () => {
    const { provider, repoDir } = await fixture(
      { 'architecture/definitions/a.yaml': 'committed' },
      { bare: false },
    );
    await writeFile(join(repoDir, 'architecture/definitions/a.yaml'), 'edited in the working tree');
    await writeFile(join(repoDir, 'architecture/definitions/new.yaml'), 'untracked');

    const snapshot = await provider.readSnapshot('main');

    expect(snapshot.architectureFiles).toEqual([
      { path: 'architecture/definitions/a.yaml', content: 'committed' },
    ]);
  });

  it('sees a new commit on the next read', async () => {
    const { provider, repoDir } = await fixture({ 'architecture/definitions/a.yaml': 'v1' });
    await provider.readSnapshot('main');
    const sha = await commitFiles(repoDir, 'main', { 'architecture/definitions/a.yaml': 'v2' });
    const snapshot = await provider.readSnapshot('main');
    expect(snapshot.headSha).toBe(sha);
    expect(snapshot.architectureFiles[0]?.content).toBe('v2');
  });

  it('fails with not_found for a missing branch', async () => {
    const { provider } = await fixture({ 'a.txt': 'a' });
    await expect(provider.readSnapshot('nope')).rejects.toMatchObject({ code: 'not_found' });
    expect(await provider.headSha('nope')).toBeUndefined();
  });

  it.each([
    ['a path that does not exist', (dir: string) => join(dir, 'missing')],
    ['a folder that is not a repository', (dir: string) => join(dir, 'plain')],
    ['a folder inside another repository', (dir: string) => join(dir, 'work', 'sub')],
  ])('fails with not_found for %s', async (_name, pathOf) => {
    const { dir, cleanup } = await tempDir();
    try {
      await mkdir(join(dir, 'plain'));
      await mkdir(join(dir, 'work', 'sub'), { recursive: true });
      await git(join(dir, 'work'), ['init', '--quiet']);
      const provider = createLocalGitRepoProvider({ path: pathOf(dir) });
      await expect(provider.readSnapshot('main')).rejects.toMatchObject({
        code: 'not_found',
        message: expect.stringContaining(pathOf(dir)),
      });
    } finally {
      await cleanup();
    }
  });

  it('reads a sha256 repository', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const repoDir = join(dir, 'sha256.git');
      await mkdir(repoDir);
      await git(repoDir, ['init', '--quiet', '--bare', '--object-format=sha256', '--initial-branch=main']);
      const provider = createLocalGitRepoProvider({ path: repoDir });
      const created = await provider.commit({
        branch: 'main',
        expectedHeadSha: null,
        message: 'first',
        changes: [{ path: 'architecture/definitions/a.yaml', content: 'a' }],
      });
      expect(created).toMatch(/^[0-9a-f]{64}$/);
      expect((await provider.readSnapshot('main')).architectureFiles).toEqual([
        { path: 'architecture/definitions/a.yaml', content: 'a' },
      ]);
    } finally {
      await cleanup();
    }
  });
});
