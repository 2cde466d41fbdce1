import { SECRETS } from '../ports/index.ts';
import type { AppContext } from './context.ts';

/** The bridge's own GitHub credentials: a token, or a GitHub App (installation found per repository). */
export type BridgeGithubAuth = string | { appId: string; privateKey: string };

const resolved = new WeakMap<AppContext, Promise<BridgeGithubAuth | undefined>>();

/**
 * The bridge's own GitHub credentials (the App preferred), from the environment locally or the secret
 * store on GCP; undefined when it has none. Resolved once per context, like the provider registry that
 * uses them. They serve the admin tenant and granted owners only (shared/access decides).
 */
export function bridgeGithubAuth(ctx: AppContext): Promise<BridgeGithubAuth | undefined> {
  let auth = resolved.get(ctx);
  if (!auth) {
    auth = resolve(ctx);
    resolved.set(ctx, auth);
  }
  return auth;
}

async function resolve(ctx: AppContext): Promise<BridgeGithubAuth | undefined> {
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
