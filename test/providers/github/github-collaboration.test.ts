import { describe, expect, it } from 'vitest';
import { FULL, harnessPerTest, repoWithServices } from './fixtures.ts';

describe('GitHub provider: pull requests, issues, statuses', () => {
  const start = harnessPerTest();

  it('opens a pull request once and updates it afterwards instead of opening another', async () => {
    const h = await start(repoWithServices(1));
    const repo = h.server.repo(FULL);
    repo.refMap.set('refs/heads/bridge/link-1', repo.head('main')!);
    repo.commitFiles('bridge/link-1', { 'architecture/definitions/new.yaml': 'id: new\n' });

    const first = await h.provider.openOrUpdatePullRequest({
      head: 'bridge/link-1',
      base: 'main',
      title: 'Design sync: 1 change',
      body: 'first',
    });
    expect(first.number).toBeGreaterThan(0);
    expect(first.url).toBe(`${h.server.url}/${FULL}/pull/${first.number}`);

    const calls = h.provider.callCount();
    const second = await h.provider.openOrUpdatePullRequest({
      head: 'bridge/link-1',
      base: 'main',
      title: 'Design sync: 2 changes',
      body: 'second',
    });
    expect(second).toEqual(first);
    expect(h.provider.callCount() - calls).toBe(2);
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0]).toMatchObject({ title: 'Design sync: 2 changes', body: 'second', state: 'open' });

    // Unchanged title and body: found, not patched.
    const before = h.provider.callCount();
    await h.provider.openOrUpdatePullRequest({
      head: 'bridge/link-1',
      base: 'main',
      title: 'Design sync: 2 changes',
      body: 'second',
    });
    expect(h.provider.callCount() - before).toBe(1);
  });

  it('opens a new pull request when the previous one was closed', async () => {
    const h = await start(repoWithServices(1));
    const repo = h.server.repo(FULL);
    repo.refMap.set('refs/heads/bridge/l', repo.head('main')!);
    repo.commitFiles('bridge/l', { 'x.txt': 'x' });
    const first = await h.provider.openOrUpdatePullRequest({
      head: 'bridge/l',
      base: 'main',
      title: 't',
      body: 'b',
    });
    repo.pulls[0]!.state = 'closed';
    const second = await h.provider.openOrUpdatePullRequest({
      head: 'bridge/l',
      base: 'main',
      title: 't',
      body: 'b',
    });
    expect(second.number).not.toBe(first.number);
    expect(repo.pulls.map((p) => p.state)).toEqual(['closed', 'open']);
  });

  it('opens an issue with labels', async () => {
    const h = await start(repoWithServices(1));
    const issue = await h.provider.openIssue({
      title: 'Service svc-000 removed in the design',
      body: 'Review needed',
      labels: ['architecture-bridge', 'needs-review'],
    });
    expect(issue.url).toBe(`${h.server.url}/${FULL}/issues/${issue.number}`);
    expect(h.server.repo(FULL).issues).toMatchObject([
      {
        number: issue.number,
        title: 'Service svc-000 removed in the design',
        labels: ['architecture-bridge', 'needs-review'],
      },
    ]);
  });

  it('sets a commit status, cutting the description to GitHub’s 140 characters', async () => {
    const h = await start(repoWithServices(1));
    const head = h.server.repo(FULL).head('main')!;
    await h.provider.setCommitStatus(head, {
      state: 'failure',
      context: 'architecture-bridge/raw',
      description: `invalid: ${'x'.repeat(300)}`,
    });
    const [status] = h.server.repo(FULL).statuses;
    expect(status).toMatchObject({ sha: head, state: 'failure', context: 'architecture-bridge/raw' });
    expect(status?.description).toHaveLength(140);
  });
});
