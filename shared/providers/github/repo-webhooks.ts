import type { RepoWebhook } from '../../ports/index.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';
import type { ReadContext } from './read-snapshot.ts';

type HookData = {
  id: number;
  active: boolean;
  events: string[];
  config: { url?: string };
  last_response?: { code: number | null; status: string | null };
};

const toWebhook = (h: HookData): RepoWebhook => ({
  id: h.id,
  url: h.config.url ?? '',
  events: h.events,
  active: h.active,
  ...(h.last_response
    ? { lastResponse: { code: h.last_response.code ?? null, status: h.last_response.status ?? null } }
    : {}),
});

/** The repository's webhooks (GitHub lists at most 100 per page; a repository rarely has more). */
export async function listWebhooks(ctx: ReadContext): Promise<RepoWebhook[]> {
  try {
    const hooks = await ctx.octokit.paginate('GET /repos/{owner}/{repo}/hooks', {
      owner: ctx.owner,
      repo: ctx.repo,
      per_page: 100,
    });
    return (hooks as HookData[]).map(toWebhook);
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'webhook listing');
  }
}

/** A JSON webhook signed with `secret` (GitHub then sends `X-Hub-Signature-256`). */
export async function createWebhook(
  ctx: ReadContext,
  hook: { url: string; secret: string; events: string[] },
): Promise<RepoWebhook> {
  try {
    const { data } = await ctx.octokit.request('POST /repos/{owner}/{repo}/hooks', {
      owner: ctx.owner,
      repo: ctx.repo,
      name: 'web',
      active: true,
      events: hook.events,
      config: { url: hook.url, content_type: 'json', secret: hook.secret, insecure_ssl: '0' },
      // A retry after a lost answer would be refused as a duplicate ("Hook already exists").
      request: { retries: 0 },
    });
    return toWebhook(data as HookData);
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, 'webhook creation');
  }
}

/**
 * The configuration endpoint changes only the fields given: the whole-hook `PATCH .../hooks/{id}`
 * drops a secret that is not sent again, and would need the URL and events too.
 */
export async function updateWebhook(ctx: ReadContext, id: number, patch: { secret: string }): Promise<void> {
  try {
    await ctx.octokit.request('PATCH /repos/{owner}/{repo}/hooks/{hook_id}/config', {
      owner: ctx.owner,
      repo: ctx.repo,
      hook_id: id,
      secret: patch.secret,
    });
  } catch (err) {
    throw mapGithubError(err, ctx.repoName, `webhook ${id} secret update`);
  }
}

export async function deleteWebhook(ctx: ReadContext, id: number): Promise<void> {
  try {
    await ctx.octokit.request('DELETE /repos/{owner}/{repo}/hooks/{hook_id}', {
      owner: ctx.owner,
      repo: ctx.repo,
      hook_id: id,
    });
  } catch (err) {
    if (statusOf(err) === 404) return;
    throw mapGithubError(err, ctx.repoName, `webhook ${id} removal`);
  }
}
