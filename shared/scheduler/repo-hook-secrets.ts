import { previousSecretWebhook, setLinkWebhookSecret } from '../connections/index.ts';
import type { AppContext } from '../context/index.ts';
import type { SecretValue } from '../ports/index.ts';
import { allLinks, type Link, type LinkWebhook, recordConnections } from '../records/index.ts';

export interface RepoHookSecretsResult {
  /** Repositories whose hook now signs with the newest secret. */
  updated: number;
  /** Repositories whose hook could not be updated (their links say why; retried hourly). */
  failed: number;
}

/** Hook states where the bridge itself sets the hook's secret. */
export const MANAGED_HOOK_STATES = new Set<LinkWebhook['state']>(['created', 'exists']);

export const signsWith = (webhook: LinkWebhook | undefined, version: string) =>
  webhook?.secret === 'current' && webhook.secretVersion === version;

/**
 * Makes every repository hook the bridge manages sign with `secret`: one update per repository
 * (its links share the hook), with the credentials of each tenant linking it until one may. The
 * outcome is recorded on every managed link of the repository. Repositories whose links all record
 * that secret already are left alone, so the hourly renewal only retries what failed or is new.
 * Never throws.
 */
export async function updateRepoHookSecrets(
  ctx: AppContext,
  secret: SecretValue,
): Promise<RepoHookSecretsResult> {
  const byRepo = new Map<string, Link[]>();
  for (const { data: link } of await allLinks(ctx.state)) {
    if (!link.webhook || !MANAGED_HOOK_STATES.has(link.webhook.state)) continue;
    byRepo.set(link.repo, [...(byRepo.get(link.repo) ?? []), link]);
  }
  const result: RepoHookSecretsResult = { updated: 0, failed: 0 };
  for (const links of byRepo.values()) {
    if (links.every((l) => signsWith(l.webhook, secret.version))) continue;
    const tenants = [...new Map(links.map((l) => [l.tenant, l])).values()];
    let outcome = await setLinkWebhookSecret(ctx, tenants[0] as Link, secret);
    for (const other of tenants.slice(1)) {
      if (outcome.updated) break;
      outcome = await setLinkWebhookSecret(ctx, other, secret);
    }
    result[outcome.updated ? 'updated' : 'failed'] += 1;
    for (const link of links) {
      const known = link.webhook as LinkWebhook;
      const webhook = outcome.updated
        ? {
            ...outcome.webhook,
            // A link keeps saying the bridge created the hook while it is the same hook.
            state:
              known.state === 'created' &&
              outcome.webhook.state === 'exists' &&
              outcome.webhook.hookId === known.hookId
                ? known.state
                : outcome.webhook.state,
          }
        : previousSecretWebhook(ctx, known, outcome);
      await recordConnections(ctx.state, link.id, { webhook }).catch((err: unknown) =>
        ctx.logger.warn('webhook secret state not recorded on the link', { linkId: link.id, error: err }),
      );
    }
  }
  if (result.failed > 0) {
    ctx.logger.warn('some repository webhooks still sign with an older webhook secret', { ...result });
  }
  return result;
}
