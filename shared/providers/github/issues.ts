import { mapGithubError } from './map-github-error.ts';
import type { ReadContext } from './read-snapshot.ts';

/** One page is enough to find the bridge's own review issue among a repository's open issues of its label. */
const SEARCH_PAGE = 100;

export async function updateIssue(
  ctx: ReadContext,
  number: number,
  patch: { title?: string; body?: string; state?: 'open' | 'closed' },
): Promise<{ number: number; url: string }> {
  try {
    const { data } = await ctx.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: number,
      ...patch,
    });
    return { number: data.number, url: data.html_url };
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, `issue #${number}`);
  }
}

export async function commentOnIssue(ctx: ReadContext, number: number, body: string): Promise<void> {
  try {
    await ctx.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: ctx.owner,
      repo: ctx.repo,
      issue_number: number,
      body,
      // A retried POST after a lost answer would comment twice.
      request: { retries: 0 },
    });
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, `comment on issue #${number}`);
  }
}

/** The newest open issue with `label` whose body holds `marker` (pull requests, which the list includes, are skipped). */
export async function findOpenIssue(
  ctx: ReadContext,
  query: { label: string; marker: string },
): Promise<{ number: number; url: string } | undefined> {
  try {
    const { data } = await ctx.octokit.request('GET /repos/{owner}/{repo}/issues', {
      owner: ctx.owner,
      repo: ctx.repo,
      state: 'open',
      labels: query.label,
      sort: 'created',
      direction: 'desc',
      per_page: SEARCH_PAGE,
    });
    const found = data.find((i) => !i.pull_request && (i.body ?? '').includes(query.marker));
    return found ? { number: found.number, url: found.html_url } : undefined;
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'issue search');
  }
}
