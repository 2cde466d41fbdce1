import type { AppContext } from '../context/index.ts';
import { SECRETS } from '../ports/index.ts';
import { type RepoHookSecretsResult, updateRepoHookSecrets } from './repo-hook-secrets.ts';
import { type PruneResult, pruneWebhookSecretVersions } from './webhook-secret-versions.ts';

export type WebhookSecretRenewal = PruneResult & { repoHooks: RepoHookSecretsResult };

/**
 * The hourly part of a webhook secret rotation: disables the older versions nothing holds any more,
 * then sets the newest version on every hook the bridge manages that lacks it (a failed update, a
 * hook found since). In this order a hook updated in one run is relied on from the next run on, an
 * hour later: GitHub may still deliver events it signed with the old secret just before.
 */
export async function renewWebhookSecret(ctx: AppContext, graceMs?: number): Promise<WebhookSecretRenewal> {
  const pruned = await pruneWebhookSecretVersions(ctx, graceMs);
  // Around the store's cache: the rotation may have run in another instance a moment ago.
  const [newest] = await ctx.secrets.accessEnabled(SECRETS.githubWebhook, { fresh: true });
  if (!newest) return { ...pruned, repoHooks: { updated: 0, failed: 0 } };
  ctx.logger.addSecret(newest.value);
  return { ...pruned, repoHooks: await updateRepoHookSecrets(ctx, newest) };
}
