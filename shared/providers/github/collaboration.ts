import type { RepoProvider } from '../../ports/index.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';
import type { ReadContext } from './read-snapshot.ts';

type PullRequestInput = Parameters<RepoProvider['openOrUpdatePullRequest']>[0];
type IssueInput = Parameters<RepoProvider['openIssue']>[0];
type StatusInput = Parameters<RepoProvider['setCommitStatus']>[1];

/** GitHub keeps at most 140 characters of a commit status description. */
const STATUS_DESCRIPTION_MAX = 140;

async function findOpenPull(ctx: ReadContext, head: string, base: string) {
  const { data } = await ctx.octokit.request('GET /repos/{owner}/{repo}/pulls', {
    owner: ctx.owner,
    repo: ctx.repo,
    head: `${ctx.owner}:${head}`,
    base,
    state: 'open',
    per_page: 1,
  });
  return data[0];
}

/**
 * Finds the open pull request from `head` into `base` (`head=owner:branch`) and updates its title
 * and body when they changed, or opens one: two requests, never a duplicate. When two syncs race
 * to open it, GitHub's 422 "A pull request already exists" sends the loser to the update path.
 */
export async function openOrUpdatePullRequest(
  ctx: ReadContext,
  input: PullRequestInput,
): Promise<{ number: number; url: string }> {
  const params = { owner: ctx.owner, repo: ctx.repo };
  const update = async (pull: { number: number; html_url: string; title: string; body: string | null }) => {
    if (pull.title !== input.title || (pull.body ?? '') !== input.body) {
      await ctx.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...params,
        pull_number: pull.number,
        title: input.title,
        body: input.body,
      });
    }
    return { number: pull.number, url: pull.html_url };
  };
  try {
    const open = await findOpenPull(ctx, input.head, input.base);
    if (open) return await update(open);
    try {
      const { data } = await ctx.octokit.request('POST /repos/{owner}/{repo}/pulls', {
        ...params,
        head: input.head,
        base: input.base,
        title: input.title,
        body: input.body,
        // Not retried on a 5xx: a retry after a lost answer would be refused as a duplicate anyway.
        request: { retries: 0 },
      });
      return { number: data.number, url: data.html_url };
    } catch (err) {
      if (
        statusOf(err) !== 422 ||
        !/already exists/i.test(
          JSON.stringify((err as { response?: { data?: unknown } }).response?.data ?? ''),
        )
      ) {
        throw err;
      }
      const raced = await findOpenPull(ctx, input.head, input.base);
      if (!raced) throw err;
      return await update(raced);
    }
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, `pull request ${input.head} → ${input.base}`);
  }
}

export async function openIssue(
  ctx: ReadContext,
  input: IssueInput,
): Promise<{ number: number; url: string }> {
  try {
    const { data } = await ctx.octokit.request('POST /repos/{owner}/{repo}/issues', {
      owner: ctx.owner,
      repo: ctx.repo,
      title: input.title,
      body: input.body,
      ...(input.labels && input.labels.length > 0 ? { labels: input.labels } : {}),
      // A retried POST after a lost answer would open the issue twice.
      request: { retries: 0 },
    });
    return { number: data.number, url: data.html_url };
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'issue creation');
  }
}

export async function setCommitStatus(ctx: ReadContext, sha: string, status: StatusInput): Promise<void> {
  const description =
    status.description.length > STATUS_DESCRIPTION_MAX
      ? `${status.description.slice(0, STATUS_DESCRIPTION_MAX - 1)}…`
      : status.description;
  try {
    await ctx.octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
      owner: ctx.owner,
      repo: ctx.repo,
      sha,
      state: status.state,
      context: status.context,
      description,
    });
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, `commit status on ${sha.slice(0, 12)}`);
  }
}
