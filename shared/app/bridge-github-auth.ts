import type { AppContext, BridgeGithubAuth } from '../context/index.ts';
import { SECRETS } from '../ports/index.ts';

/**
 * The bridge's own GitHub credentials (the App preferred), from the environment locally or the secret
 * store on GCP; undefined when it has none. The context reads them once (`ctx.bridgeGithubAuth()`).
 * They serve the admin tenant and granted owners only (shared/access decides).
 */
export async function resolveBridgeGithubAuth(
  ctx: Pick<AppContext, 'config' | 'secrets' | 'logger'>,
): Promise<BridgeGithubAuth | undefined> {
  const { config } = ctx;
  const appKey =
    config.GITHUB_APP_PRIVATE_KEY ??
    (config.GITHUB_APP_ID ? (await ctx.secrets.accessLatest(SECRETS.githubAppPrivateKey))?.value : undefined);
  const token =
    config.GITHUB_TOKEN ??
    (await ctx.secrets.accessLatest(SECRETS.githubToken).catch(() => undefined))?.value;
  const auth: BridgeGithubAuth | undefined =
    config.GITHUB_APP_ID && appKey ? { appId: config.GITHUB_APP_ID, privateKey: appKey } : token;
  if (auth) ctx.logger.addSecret(typeof auth === 'string' ? auth : auth.privateKey);
  return auth;
}
