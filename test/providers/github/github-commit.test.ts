import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../shared/errors/index.ts';
import type { FileChange } from '../../../shared/ports/index.ts';
import { BLOBS_PER_QUERY } from '../../../shared/providers/github/index.ts';
import { definitionYaml, FULL, harnessPerTest, repoWithServices } from './fixtures.ts';

const changedServices = (n: number, version = '2.0.0'): FileChange[] =>
  Array.from({ length: n }, (_, i) => {
    const id = `svc-${String(i).padStart(3, '0')}`;
    return { path: `architecture/definitions/${id}.yaml`, content: definitionYaml(id, version) };
  });

describe('GitHub provider: commit', () => {
  const start = harnessPerTest();

  it.each([1, 10, 100])('reads and commits %i changed services in the same 5 calls', async (n) => {
    const h = await start(repoWithServices(100));
    const snapshot = await h.provider.readSnapshot('main');
    const sha = await h.provider.commit({
      branch: 'main',
      expectedHeadSha: snapshot.headSha,
      message: `sync ${n}`,
      changes: changedServices(n),
    });
    expect(h.provider.callCount()).toBe(5);
    expect(h.server.requests.map((r) => `${r.method} ${r.route}`)).toEqual([
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
      'POST /graphql',
      'POST /repos/{owner}/{repo}/git/trees',
      'POST /repos/{owner}/{repo}/git/commits',
      'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
    ]);
    const repo = h.server.repo(FULL);
    expect(repo.head('main')).toBe(sha);
    const files = repo.files('main');
    expect(files['architecture/definitions/svc-000.yaml']).toContain('version: 2.0.0');
    expect(files[`architecture/definitions/svc-${String(n).padStart(3, '0')}.yaml`] ?? '').not.toContain(
      '2.0.0',
    );
  });

  it('needs one more GraphQL query per further chunk of blobs (documented growth)', async () => {
    const h = await start(repoWithServices(BLOBS_PER_QUERY));
    await h.provider.readSnapshot('main');
    expect(h.server.requests.filter((r) => r.route === '/graphql')).toHaveLength(3);
  });

  it('writes adds, updates and deletes as one commit on top of the expected head', async () => {
    const h = await start(repoWithServices(3));
    const repo = h.server.repo(FULL);
    const before = repo.head('main')!;
    const snapshot = await h.provider.readSnapshot('main');
    const sha = await h.provider.commit({
      branch: 'main',
      expectedHeadSha: snapshot.headSha,
      message: 'bridge: sync design',
      changes: [
        { path: 'architecture/definitions/svc-003.yaml', content: definitionYaml('svc-003') },
        { path: 'architecture/definitions/svc-000.yaml', content: definitionYaml('svc-000', '1.1.0') },
        { path: 'architecture/definitions/svc-001.yaml', content: null },
        // Already absent: GitHub would refuse the whole tree (422), so the provider leaves it out.
        { path: 'architecture/definitions/never-there.yaml', content: null },
      ],
    });
    const commits = repo.commits('main');
    expect(commits[0]).toMatchObject({ sha, message: 'bridge: sync design', parents: [before] });
    expect(commits).toHaveLength(2);
    const files = repo.files('main');
    expect(files['architecture/definitions/svc-003.yaml']).toBe(definitionYaml('svc-003'));
    expect(files['architecture/definitions/svc-000.yaml']).toContain('1.1.0');
    expect(files).not.toHaveProperty('architecture/definitions/svc-001.yaml');
    expect(files['services/svc-001/package.json']).toBeDefined();
    expect(Object.keys(files)).toHaveLength(Object.keys(repoWithServices(3)).length);
  });

  it('refuses with conflict when the branch moved, and writes nothing to it', async () => {
    const h = await start(repoWithServices(2));
    const repo = h.server.repo(FULL);
    const snapshot = await h.provider.readSnapshot('main');
    const moved = repo.commitFiles('main', {
      'architecture/definitions/svc-000.yaml': 'id: svc-000\nedited: by a human\n',
    });
    const err = await h.provider
      .commit({
        branch: 'main',
        expectedHeadSha: snapshot.headSha,
        message: 'sync',
        changes: changedServices(2),
      })
      .catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('conflict');
    expect((err as Error).message).toMatch(/acme\/platform/);
    expect(repo.head('main')).toBe(moved);
    expect(repo.files('main')['architecture/definitions/svc-000.yaml']).toContain('edited: by a human');
    expect(h.server.requests.at(-1)).toMatchObject({
      route: '/repos/{owner}/{repo}/git/refs/{ref}',
      status: 422,
    });
  });

  it('creates a new branch with the commit when expectedHeadSha is null, and refuses if it exists', async () => {
    const h = await start(repoWithServices(1));
    const repo = h.server.repo(FULL);
    const main = (await h.provider.readSnapshot('main')).headSha;
    const sha = await h.provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: null,
      baseSha: main,
      message: 'bridge: proposal',
      changes: changedServices(1, '3.0.0'),
    });
    expect(repo.head('bridge/link-1')).toBe(sha);
    expect(repo.commits('bridge/link-1')[0]?.parents).toEqual([main]);
    expect(repo.head('main')).toBe(main);
    const again = await h.provider
      .commit({
        branch: 'bridge/link-1',
        expectedHeadSha: null,
        baseSha: main,
        message: 'x',
        changes: changedServices(1),
      })
      .catch((e: unknown) => e);
    expect(isAppError(again) && again.code).toBe('conflict');
    expect(repo.head('bridge/link-1')).toBe(sha);
  });

  it('merges the base branch into a pull-request branch with a two-parent commit', async () => {
    const h = await start(repoWithServices(1));
    const repo = h.server.repo(FULL);
    const main0 = repo.head('main')!;
    const branchHead = await h.provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: null,
      baseSha: main0,
      message: 'proposal',
      changes: changedServices(1, '3.0.0'),
    });
    const main1 = repo.commitFiles('main', {
      'architecture/definitions/other.yaml': definitionYaml('other'),
    });
    const merged = await h.provider.commit({
      branch: 'bridge/link-1',
      expectedHeadSha: branchHead,
      baseSha: main1,
      message: 'merge main',
      changes: changedServices(1, '3.0.0'),
    });
    expect(repo.commits('bridge/link-1')[0]).toMatchObject({ sha: merged, parents: [branchHead, main1] });
    const files = repo.files('bridge/link-1');
    expect(files['architecture/definitions/other.yaml']).toBeDefined();
    expect(files['architecture/definitions/svc-000.yaml']).toContain('3.0.0');
  });

  it('ensureBranch creates a branch at a sha and leaves an existing one where it is', async () => {
    const h = await start(repoWithServices(1));
    const repo = h.server.repo(FULL);
    const main = repo.head('main')!;
    expect(await h.provider.ensureBranch('bridge/x', main)).toBe(main);
    const moved = repo.commitFiles('bridge/x', { 'a.txt': 'a' });
    expect(await h.provider.ensureBranch('bridge/x', main)).toBe(moved);
    expect(repo.head('bridge/x')).toBe(moved);
  });

  it('baseline: the per-file contents API needs one call and one commit per changed file', async () => {
    const h = await start(repoWithServices(3));
    const repo = h.server.repo(FULL);
    const octokit = new Octokit({ baseUrl: h.server.url, auth: 'ghp_test_token' });
    const listing = repo.git.flatten(repo.git.peelToTree(repo.head('main')!)!);
    for (const change of changedServices(3)) {
      await octokit.rest.repos.createOrUpdateFileContents({
        owner: 'acme',
        repo: 'platform',
        path: change.path,
        message: `update ${change.path}`,
        content: Buffer.from(change.content!).toString('base64'),
        sha: listing.get(change.path)!.sha,
      });
    }
    expect(h.server.requests.map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual(
      Array(3).fill('PUT /repos/{owner}/{repo}/contents/{path} 200'),
    );
    expect(repo.commits('main')).toHaveLength(4);
    expect(repo.files('main')['architecture/definitions/svc-002.yaml']).toContain('2.0.0');
  });
});
