import type { PullRecord } from './bridge-records.ts';
import type { GitRunner } from './git-runner.ts';

/** Whether commit `sha` is in `branch`'s history (false when either is gone). */
export async function inHistoryOf(git: GitRunner, sha: string, branch: string): Promise<boolean> {
  const result = await git.run(['merge-base', '--is-ancestor', sha, `refs/heads/${branch}`], {
    okCodes: [1, 128],
  });
  return result.code === 0;
}

/**
 * GitHub marks a pull request merged when its head lands in its base; the local stand-in does the
 * same: an open proposal whose proposed commit (`headSha`, recorded when it was opened or updated
 * with commits of its own) is now in the base branch's history was merged by hand. Marks those
 * `merged`; returns whether any changed. Records without `headSha` (nothing to merge, or written
 * before it was recorded) are left as they are.
 */
export async function markMergedProposals(
  git: GitRunner,
  pulls: PullRecord[],
  now: string,
): Promise<boolean> {
  let changed = false;
  for (const pull of pulls) {
    if (pull.state !== 'open' || pull.headSha === undefined) continue;
    if (!(await inHistoryOf(git, pull.headSha, pull.base))) continue;
    pull.state = 'merged';
    pull.mergedAt = now;
    changed = true;
  }
  return changed;
}
