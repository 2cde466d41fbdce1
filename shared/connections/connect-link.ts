import { tenantCredentials } from '../access/index.ts';
import type { LinkTarget } from '../access/link-access.ts';
import type { AppContext } from '../context/index.ts';
import { isAppError } from '../errors/index.ts';
import type { RepoProvider, SecretValue } from '../ports/index.ts';
import type { Link, LinkDriveChannel, LinkWebhook } from '../records/index.ts';
import { ensureRepoWebhook, removeRepoWebhookIfUnused } from './repo-webhook.ts';
import { type HookSecretOutcome, setRepoWebhookSecret } from './repo-webhook-secret.ts';

async function repoOf(ctx: AppContext, link: LinkTarget): Promise<RepoProvider> {
  const registry = await ctx.providers();
  return registry.repo(link.repo, await tenantCredentials(ctx, link));
}

/** The webhook state of a link's repository (see ensureRepoWebhook); never throws. */
export async function checkLinkWebhook(ctx: AppContext, link: LinkTarget): Promise<LinkWebhook> {
  try {
    return await ensureRepoWebhook(ctx, await repoOf(ctx, link));
  } catch (err) {
    return {
      state: 'failed',
      message: `the repository could not be reached (${isAppError(err) ? err.message : 'internal error'})`,
      at: ctx.now().toISOString(),
    };
  }
}

/** Sets `secret` on the hook of the link's repository (see setRepoWebhookSecret); never throws. */
export async function setLinkWebhookSecret(
  ctx: AppContext,
  link: LinkTarget,
  secret: SecretValue,
): Promise<HookSecretOutcome> {
  try {
    return await setRepoWebhookSecret(ctx, await repoOf(ctx, link), secret);
  } catch (err) {
    return {
      updated: false,
      reason: `the repository could not be reached (${isAppError(err) ? err.message : 'internal error'})`,
      refused: isAppError(err) && err.code === 'forbidden',
    };
  }
}

/**
 * Makes a new link live at once: the repository webhook and the Drive channel of its design. Never
 * throws (a failure is recorded on the link and the hourly renewal retries), so creating a link
 * never stops half-way.
 */
export async function connectLink(
  ctx: AppContext,
  link: Pick<Link, 'id' | 'tenant' | 'repo' | 'design'>,
): Promise<{ webhook: LinkWebhook; driveChannel: LinkDriveChannel }> {
  const { watchLinkDesign } = await import('./watch-link-design.ts');
  const [webhook, driveChannel] = await Promise.all([
    checkLinkWebhook(ctx, link),
    watchLinkDesign(ctx, link),
  ]);
  return { webhook, driveChannel };
}

/**
 * What deleting a link stops: its Drive channels, and the repository webhook once no link uses the
 * repository any more. Call after the link's document is gone; failures are logged, not thrown.
 */
export async function disconnectLink(
  ctx: AppContext,
  link: Pick<Link, 'id' | 'tenant' | 'repo' | 'design'>,
): Promise<void> {
  try {
    const removed = await removeRepoWebhookIfUnused(ctx, await repoOf(ctx, link), link.repo);
    if (removed > 0)
      ctx.logger.info('repository webhook removed: no link uses the repository', { linkId: link.id });
  } catch (err) {
    ctx.logger.warn('repository webhook not removed', { linkId: link.id, error: err });
  }
}
