import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';

/** Secret Manager name of the OAuth App's client secret (GCP); locally GITHUB_OAUTH_CLIENT_SECRET. */
export const OAUTH_CLIENT_SECRET_NAME = 'github-oauth-client-secret';

export const CONNECT_PATH = '/api/integrations/github/connect';
export const CALLBACK_PATH = '/api/integrations/github/callback';

/** The GitHub OAuth App the bridge connects user accounts through. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** `https://github.com`, a GHES host, or a loopback server in tests. */
  base: string;
  scopes: string[];
  /** Must equal the OAuth App's registered callback URL (GitHub compares it). */
  redirectUrl: string;
}

/**
 * The OAuth App settings, read at use time so a rotated client secret applies without a restart.
 * 503 `unavailable` (with what to set) when the bridge has no OAuth App; a secret store that fails
 * (the secret may not be read, Secret Manager is down) fails with its own error, which says so.
 */
export async function resolveOAuthClient(
  ctx: Pick<AppContext, 'config' | 'secrets' | 'logger'>,
): Promise<OAuthClient> {
  const { config } = ctx;
  const redirectUrl = `${config.urls.api}${CALLBACK_PATH}`;
  const clientSecret =
    config.GITHUB_OAUTH_CLIENT_SECRET ??
    (config.GITHUB_OAUTH_CLIENT_ID
      ? (await ctx.secrets.accessLatest(OAUTH_CLIENT_SECRET_NAME))?.value
      : undefined);
  if (!config.GITHUB_OAUTH_CLIENT_ID || !clientSecret) {
    throw new AppError(
      'unavailable',
      `GitHub OAuth is not configured: set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET (secret ${OAUTH_CLIENT_SECRET_NAME} on GCP) from an OAuth App whose callback URL is ${redirectUrl}`,
    );
  }
  ctx.logger.addSecret(clientSecret);
  return {
    clientId: config.GITHUB_OAUTH_CLIENT_ID,
    clientSecret,
    base: config.GITHUB_OAUTH_BASE,
    scopes: config.GITHUB_OAUTH_SCOPES.split(' ').filter(Boolean),
    redirectUrl,
  };
}
