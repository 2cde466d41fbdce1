import type { AppContext } from '../context/index.ts';
import { isAppError } from '../errors/index.ts';
import type { RepoProvider, SecretValue } from '../ports/index.ts';
import type { LinkWebhook } from '../records/index.ts';
import { bridgeWebhookUrl, describeHook, ensureRepoWebhook, sameUrl } from './repo-webhook.ts';

/** What setting a new secret on a repository's hook came to. */
export type HookSecretOutcome =
  | { updated: true; webhook: LinkWebhook }
  | { updated: false; reason: string; refused: boolean };

/**
 * Makes the repository's webhooks that deliver to this bridge (normally one) sign with `secret`,
 * creating the hook with it when none is left. The other settings of a hook stay as they are.
 * Never throws: a failure is an outcome (`refused`: the credentials may not, or the hook is gone).
 */
export async function setRepoWebhookSecret(
  ctx: AppContext,
  repo: RepoProvider,
  secret: SecretValue,
): Promise<HookSecretOutcome> {
  const at = ctx.now().toISOString();
  const support = repo.webhookSupport();
  if (!support.managed) {
    return { updated: true, webhook: { state: 'not-needed', message: support.reason, at } };
  }
  const url = bridgeWebhookUrl(ctx);
  try {
    const hooks = (await repo.listWebhooks()).filter((h) => sameUrl(h.url, url));
    const [first] = hooks;
    if (!first) {
      const webhook = await ensureRepoWebhook(ctx, repo, secret);
      return webhook.state === 'created'
        ? { updated: true, webhook }
        : { updated: false, reason: webhook.message, refused: webhook.state === 'manual' };
    }
    for (const hook of hooks) await repo.updateWebhook(hook.id, { secret: secret.value });
    return {
      updated: true,
      webhook: { ...describeHook(url, first, at), secret: 'current', secretVersion: secret.version },
    };
  } catch (err) {
    if (!isAppError(err))
      ctx.logger.warn('webhook secret not updated', { repo: repo.displayName, error: err });
    return {
      updated: false,
      reason: isAppError(err) ? err.message : 'internal error',
      refused: isAppError(err) && (err.code === 'forbidden' || err.code === 'not_found'),
    };
  }
}

/** The link's webhook while its hook still signs with an older secret than the newest version. */
export function previousSecretWebhook(
  ctx: Pick<AppContext, 'config' | 'now'>,
  known: LinkWebhook,
  outcome: { reason: string; refused: boolean },
): LinkWebhook {
  const url = bridgeWebhookUrl(ctx);
  const what = outcome.refused
    ? `the credentials may not update it (${outcome.reason}). Give them the webhook permission (the ` +
      'hourly renewal then sets it), or set the new secret on the hook by hand and have the operator ' +
      'disable the previous version'
    : `updating it failed (${outcome.reason}); the hourly renewal tries again`;
  return {
    ...known,
    secret: 'previous',
    message:
      `the webhook to ${url} still signs with the previous webhook secret: ${what}. ` +
      'The previous secret stays accepted until the hook has the new one.',
    at: ctx.now().toISOString(),
  };
}
