import type { AppContext } from '../context/index.ts';
import { isAppError } from '../errors/index.ts';
import { type RepoProvider, type RepoWebhook, SECRETS, type SecretValue } from '../ports/index.ts';
import { type LinkWebhook, linksForRepo } from '../records/index.ts';

/** What the bridge needs to hear about: pushes (a sync) and pull requests (a merged or declined proposal). */
export const WEBHOOK_EVENTS = ['push', 'pull_request'];

export const bridgeWebhookUrl = (ctx: Pick<AppContext, 'config'>) => ctx.config.urls.githubWebhook;

export const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** Why a hook kept by hand holds every webhook secret version (README, "Rotating the webhook secret"). */
export const ROTATE_BY_HAND =
  'When the webhook secret is rotated, set the new one on this hook by hand too: the bridge keeps ' +
  'the previous secret accepted while a hook is kept by hand, and the operator disables it once ' +
  'the hook has the new one.';

function byHand(url: string, why: string): string {
  return (
    `${why}. Add it by hand: the repository's Settings → Webhooks → Add webhook, Payload URL ${url}, ` +
    'content type application/json, the secret in GITHUB_WEBHOOK_SECRET, events "Pushes" and ' +
    `"Pull requests". The hourly check then finds it. ${ROTATE_BY_HAND}`
  );
}

/** What a hook found delivering to `url` means for the link: `exists`, or `manual` when inactive. */
export function describeHook(url: string, hook: RepoWebhook, at: string): LinkWebhook {
  if (!hook.active) {
    return {
      state: 'manual',
      hookId: hook.id,
      message: `the repository's webhook to ${url} is inactive: activate it in Settings → Webhooks. ${ROTATE_BY_HAND}`,
      at,
    };
  }
  const missing = WEBHOOK_EVENTS.filter((e) => !hook.events.includes(e) && !hook.events.includes('*'));
  const note =
    missing.length > 0 ? ` (it does not send ${missing.join(', ')}: add it in Settings → Webhooks)` : '';
  return { state: 'exists', hookId: hook.id, message: `a webhook delivers to ${url}${note}`, at };
}

/**
 * The setupWebhook of the original specification: makes sure a webhook of the repository delivers
 * pushes and pull requests to this bridge, creating it when none points here (GitHub with a token;
 * an App and a local repository need none), signed with `secret` (default: the latest version).
 * Never throws: the outcome is for the link to show.
 */
export async function ensureRepoWebhook(
  ctx: AppContext,
  repo: RepoProvider,
  secret?: SecretValue,
): Promise<LinkWebhook> {
  const at = ctx.now().toISOString();
  const support = repo.webhookSupport();
  if (!support.managed) return { state: 'not-needed', message: support.reason, at };
  const url = bridgeWebhookUrl(ctx);
  try {
    const existing = (await repo.listWebhooks()).find((h) => sameUrl(h.url, url));
    if (existing) return describeHook(url, existing, at);
    const signWith = secret ?? (await ctx.secrets.accessLatest(SECRETS.githubWebhook));
    if (!signWith) {
      return {
        state: 'manual',
        message:
          'no webhook secret is configured: set GITHUB_WEBHOOK_SECRET and the hourly check creates the webhook',
        at,
      };
    }
    const hook = await repo.createWebhook({ url, secret: signWith.value, events: WEBHOOK_EVENTS });
    return {
      state: 'created',
      hookId: hook.id,
      message: `created a webhook delivering pushes and pull requests to ${url}`,
      secret: 'current',
      secretVersion: signWith.version,
      at,
    };
  } catch (err) {
    const reason = isAppError(err) ? err.message : 'internal error';
    if (isAppError(err) && (err.code === 'forbidden' || err.code === 'not_found')) {
      return {
        state: 'manual',
        message: byHand(url, `the credentials may not manage this repository's webhooks (${reason})`),
        at,
      };
    }
    ctx.logger.warn('repository webhook not checked', { repo: repo.displayName, error: err });
    return {
      state: 'failed',
      message: `the webhook could not be checked or created (${reason}); the hourly check tries again`,
      at,
    };
  }
}

/**
 * The removeWebhook of the original specification: once no link uses `repoUrl` any more, deletes
 * the repository's webhooks that deliver to this bridge. Returns how many it deleted.
 */
export async function removeRepoWebhookIfUnused(
  ctx: AppContext,
  repo: RepoProvider,
  repoUrl: string,
): Promise<number> {
  if (!repo.webhookSupport().managed) return 0;
  if ((await linksForRepo(ctx.state, repoUrl)).length > 0) return 0;
  const url = bridgeWebhookUrl(ctx);
  let removed = 0;
  for (const hook of await repo.listWebhooks()) {
    if (!sameUrl(hook.url, url)) continue;
    await repo.deleteWebhook(hook.id);
    removed += 1;
  }
  return removed;
}
