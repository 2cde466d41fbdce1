import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors/index.ts';
import { definitionYaml, harnessPerTest, repoWithServices } from './fixtures.ts';

describe('GitHub provider: readSnapshot', () => {
  const start = harnessPerTest();

  it('reads architecture files and the manifests directly in services/<name>/ at the head', async () => {
    const h = await start(
      repoWithServices(2, {
        'architecture/raw/drop.json': '{"components":[]}',
        'services/svc-000/Dockerfile': 'FROM node:24\n',
        'services/README.md': 'not a service\n',
      }),
    );
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.headSha).toBe(h.server.repo('acme/platform').head('main'));
    expect(snapshot.branch).toBe('main');
    expect(snapshot.architectureFiles.map((f) => f.path)).toEqual([
      'architecture/README.md',
      'architecture/definitions/svc-000.yaml',
      'architecture/definitions/svc-001.yaml',
      'architecture/raw/drop.json',
    ]);
    expect(snapshot.architectureFiles[1]?.content).toBe(definitionYaml('svc-000'));
    expect(snapshot.serviceManifests.map((f) => f.path)).toEqual([
      'services/svc-000/Dockerfile',
      'services/svc-000/package.json',
      'services/svc-001/package.json',
    ]);
    expect(h.provider.callCount()).toBe(2);
  });

  it('re-reads an unchanged branch with a conditional request (304) and cached blobs', async () => {
    const h = await start(repoWithServices(3));
    const first = await h.provider.readSnapshot('main');
    const before = h.server.requests.length;
    const second = await h.provider.readSnapshot('main');
    expect(second).toEqual(first);
    const again = h.server.requests.slice(before);
    expect(again.map((r) => [r.route, r.status])).toEqual([
      ['/repos/{owner}/{repo}/git/trees/{tree_sha}', 304],
      ['/graphql', 200],
    ]);
    // The GraphQL query of the re-read asks for the head only: every blob is cached.
    expect(JSON.stringify(again[1]?.requestBody)).not.toContain('object(oid');
  });

  it('sees a new commit on the branch on the next read', async () => {
    const h = await start(repoWithServices(1));
    await h.provider.readSnapshot('main');
    const pushed = h.server.repo('acme/platform').commitFiles('main', {
      'architecture/definitions/new.yaml': definitionYaml('new'),
    });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.headSha).toBe(pushed);
    expect(snapshot.architectureFiles.map((f) => f.path)).toContain('architecture/definitions/new.yaml');
  });

  it('falls back to per-directory listings when the recursive tree is truncated, and says so', async () => {
    const h = await start(repoWithServices(5), { server: { treeEntryLimit: 8 } });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.architectureFiles).toHaveLength(6);
    expect(snapshot.serviceManifests).toHaveLength(5);
    expect(h.logLines.some((l) => l.includes('truncated'))).toBe(true);
    expect(h.provider.callCount()).toBe(5);
  });

  it('reads a blob whose GraphQL text is cut through the REST blob endpoint', async () => {
    const big = `id: big\nnotes: "${'x'.repeat(5000)}"\n`;
    const h = await start({ 'architecture/definitions/big.yaml': big }, { server: { blobTextLimit: 1000 } });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.architectureFiles[0]?.content).toBe(big);
  });

  it('skips binary files under architecture/', async () => {
    const h = await start({
      'architecture/logo.png': 'PNG\u0000\u0001',
      'architecture/definitions/a.yaml': 'id: a\n',
    });
    const snapshot = await h.provider.readSnapshot('main');
    expect(snapshot.architectureFiles.map((f) => f.path)).toEqual(['architecture/definitions/a.yaml']);
  });

  it('reads a branch whose name has a slash, through a GitHub Enterprise Server style base URL', async () => {
    const h = await start(repoWithServices(1), { baseUrl: (s) => s.ghesUrl });
    const repo = h.server.repo('acme/platform');
    repo.refMap.set('refs/heads/bridge/link-1', repo.head('main')!);
    const snapshot = await h.provider.readSnapshot('bridge/link-1');
    expect(snapshot.headSha).toBe(repo.head('main'));
    expect(h.server.requests.map((r) => r.path)).toEqual([
      '/api/v3/repos/acme/platform/git/trees/bridge%2Flink-1',
      '/api/graphql',
    ]);
    expect(await h.provider.defaultBranch()).toBe('main');
  });

  it('reports a missing branch as not_found, and headSha as undefined', async () => {
    const h = await start(repoWithServices(1));
    const err = await h.provider.readSnapshot('nope').catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('not_found');
    expect((err as Error).message).toContain('acme/platform');
    expect(await h.provider.headSha('nope')).toBeUndefined();
    expect(await h.provider.headSha('main')).toBe(h.server.repo('acme/platform').head('main'));
  });
});
