import { refreshToken } from '@octokit/oauth-methods';
import type { Logger } from '../logging/index.ts';
import { expiryOf, type GithubUserToken, oauthRequest, safeOAuthCode } from './exchange-code.ts';
import type { OAuthClient } from './oauth-client.ts';

export type RefreshOutcome =
  | { ok: true; token: GithubUserToken }
  /** GitHub refused the refresh token (`bad_refresh_token`: used, expired or revoked): reconnect. */
  | { ok: false; refused: true; code: string }
  /** GitHub could not be asked or did not answer usefully: try again later. */
  | { ok: false; refused: false; reason: string };

/**
 * Trades a refresh token for a new access token and a new refresh token (`POST
 * /login/oauth/access_token` with `grant_type=refresh_token`). The refresh token is single-use: the
 * caller must store the answer before anyone refreshes again. Messages name GitHub's error code
 * at most, never a token.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */
export async function refreshAtGithub(
  client: OAuthClient,
  refresh: string,
  options: { logger: Logger; fetch?: typeof fetch },
): Promise<RefreshOutcome> {
  options.logger.addSecret(refresh);
  try {
    const response = await refreshToken({
      clientType: 'github-app',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      refreshToken: refresh,
      request: oauthRequest(client, options),
    });
    const data = response.data as unknown as Record<string, unknown>;
    const token = data.access_token;
    if (typeof token !== 'string' || token === '') {
      return { ok: false, refused: false, reason: 'GitHub answered the refresh without a token' };
    }
    options.logger.addSecret(token);
    const expiry = expiryOf(data);
    if (expiry.refreshToken) options.logger.addSecret(expiry.refreshToken);
    return {
      ok: true,
      token: { token, tokenType: String(data.token_type ?? 'bearer'), scopes: [], ...expiry },
    };
  } catch (err) {
    const code = safeOAuthCode(err);
    // Wrong client credentials are the operator's to fix, not the user's: not a lost connection.
    if (code && code !== 'incorrect_client_credentials') return { ok: false, refused: true, code };
    const status = (err as { status?: unknown }).status;
    options.logger.warn('GitHub token refresh failed', {
      oauthError: code,
      status: typeof status === 'number' ? status : undefined,
    });
    return {
      ok: false,
      refused: false,
      reason: code
        ? `GitHub refused the bridge's OAuth client credentials (${code})`
        : 'GitHub did not answer the token refresh',
    };
  }
}
