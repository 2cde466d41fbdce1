import { describe, expect, it } from 'vitest';
import type { FileChange, RepoProvider, RepoSnapshot } from '../../shared/ports/index.ts';
import { changesFingerprint, writeRepo } from '../../shared/sync/write-repo.ts';

const snapshot = { headSha: 'a'.repeat(40), architectureFiles: [] } as unknown as RepoSnapshot;
const changes: FileChange[] = [{ path: 'architecture/definitions/x.yaml', content: 'id: x\n' }];
const meta = { operationId: 'op_1', summary: 'Sync', body: '' };

/** A repository whose proposal branch is at `head`; any write would fail the test. */
function repoAt(head: string): RepoProvider {
  return new Proxy({} as RepoProvider, {
    get: (_t, prop) => {
      if (prop === 'headSha') return async () => head;
      return () => {
        throw new Error(`unexpected RepoProvider.${String(prop)}`);
      };
    },
  });
}

describe('writeRepo with the pull-request policy', () => {
  it('declined changes are neither committed nor proposed', async () => {
    const declined = { changes: changesFingerprint(changes), number: 3, url: 'u', at: 't' };
    const link = {
      id: 'lnk_1',
      branch: 'main',
      policy: { writes: 'pull-request' },
      declinedProposal: declined,
    };
    const result = await writeRepo(repoAt('b'.repeat(40)), link, snapshot, changes, meta);
    expect(result).toEqual({ branchHead: snapshot.headSha, declined });
  });

  it('an unchanged proposal recorded without a changes hash gets one, and nothing is written', async () => {
    const first = await writeRepo(
      {
        ...repoAt(''),
        headSha: async () => undefined,
        commit: async () => 'c'.repeat(40),
        openOrUpdatePullRequest: async () => ({ number: 7, url: 'https://example/pull/7' }),
      } as unknown as RepoProvider,
      { id: 'lnk_1', branch: 'main', policy: { writes: 'pull-request' } },
      snapshot,
      changes,
      meta,
    );
    const proposed = first.pullRequest;
    expect(proposed?.changes).toBe(changesFingerprint(changes));
    const { changes: _dropped, ...legacy } = proposed ?? {
      fingerprint: '',
      branch: '',
      headSha: '',
      number: 0,
      url: '',
    };
    const again = await writeRepo(
      repoAt(legacy.headSha),
      { id: 'lnk_1', branch: 'main', policy: { writes: 'pull-request' }, pendingPullRequest: legacy },
      snapshot,
      changes,
      meta,
    );
    expect(again.pullRequest).toEqual({ ...legacy, changes: changesFingerprint(changes) });
    expect(again.commitSha).toBeUndefined();
  });
});
