import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGitRepoProvider } from '../../shared/providers/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { git, readFileAt } from '../support/local-git.ts';
import { component, createLocalLink } from './support.ts';

/** Merges `branch` into main the way a person would: a clone, `git merge --no-ff`, a push. */
async function mergeByHand(repoDir: string, branch: string): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'bridge-merge-'));
  try {
    const work = join(scratch, 'work');
    await git(scratch, ['clone', '--quiet', repoDir, work]);
    await git(work, ['merge', '--no-ff', '--quiet', '-m', `Merge ${branch}`, `origin/${branch}`]);
    await git(work, ['push', '--quiet', 'origin', 'main']);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

describe('local git stand-in for a pull request: bridge/<link>, merged by hand', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('a merge of bridge/<link> into the branch closes the proposal; the next change opens a new one', async () => {
    const link = await createLocalLink(bridge, { policy: { writes: 'pull-request' } });
    const provider = createLocalGitRepoProvider({ path: link.repoDir });
    const design = await link.readDesign();
    component(design, 'core').version = '3.0.0';
    await link.writeDesign(design);
    const proposed = await link.sync();
    expect(proposed.pullRequest).toMatch(/#pull\/1\/bridge\//);
    expect(await provider.pullRequests()).toEqual([
      expect.objectContaining({ number: 1, head: `bridge/${link.id}`, base: 'main', state: 'open' }),
    ]);
    const getLink = async () => (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect((await getLink()).pendingPullRequest?.number).toBe(1);

    await mergeByHand(link.repoDir, `bridge/${link.id}`);
    expect(await readFileAt(link.repoDir, 'main', 'architecture/definitions/core.yaml')).toContain(
      'version: 3.0.0',
    );
    // The provider sees the merge by itself, as GitHub would mark the pull request merged.
    expect(await provider.pullRequests()).toEqual([
      expect.objectContaining({ number: 1, state: 'merged', mergedAt: expect.any(String) }),
    ]);

    // The next sync (a reconcile, or `bridge sync`) finds both sides agreeing: nothing pending.
    const after = await link.sync();
    expect(after.status, JSON.stringify(after)).toBe('succeeded');
    expect(after.pullRequest).toBeUndefined();
    expect(await getLink()).toMatchObject({ status: 'synced' });
    expect((await getLink()).pendingPullRequest).toBeUndefined();

    // A later change is a new proposal, not an update of the merged one.
    const next = await link.readDesign();
    component(next, 'auth').version = '1.1.0';
    await link.writeDesign(next);
    const second = await link.sync();
    expect(second.pullRequest).toMatch(/#pull\/2\/bridge\//);
    expect((await provider.pullRequests()).map((p) => [p.number, p.state])).toEqual([
      [1, 'merged'],
      [2, 'open'],
    ]);
  });
});
