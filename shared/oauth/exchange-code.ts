import { deleteToken, exchangeWebFlowCode, getWebFlowAuthorizationUrl } from '@octokit/oauth-methods';
import { Octokit } from '@octokit/rest';
import { AppError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { OAuthClient } from './oauth-client.ts';

/** GitHub gives up on a browser redirect long before this; a hung exchange must not hold the request. */
const EXCHANGE_TIMEOUT_MS = 10_000;

export interface GithubUserToken {
  token: string;
  tokenType: string;
  scopes: string[];
  /**
   * GitHub App user-to-server tokens expire (8 hours) and come with a single-use refresh token
   * (valid for months); an OAuth App's tokens have neither.
   */
  expiresInSeconds?: number;
  refreshToken?: string;
  refreshTokenExpiresInSeconds?: number;
}

/** The expiry fields of a token answer (`expires_in`, `refresh_token`, `refresh_token_expires_in`). */
export function expiryOf(
  data: Record<string, unknown>,
): Omit<GithubUserToken, 'token' | 'tokenType' | 'scopes'> {
  const seconds = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  const expiresInSeconds = seconds(data.expires_in);
  const refreshToken =
    typeof data.refresh_token === 'string' && data.refresh_token !== '' ? data.refresh_token : undefined;
  const refreshTokenExpiresInSeconds = seconds(data.refresh_token_expires_in);
  return {
    ...(expiresInSeconds ? { expiresInSeconds } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    ...(refreshTokenExpiresInSeconds ? { refreshTokenExpiresInSeconds } : {}),
  };
}

export interface ExchangeOptions {
  logger: Logger;
  fetch?: typeof fetch;
}

/**
 * A request function whose base URL is the OAuth host: oauth-methods derives the `/login/oauth/*`
 * host from it (api.github.com → github.com, a GHES `/api/v3` suffix dropped, anything else as is).
 */
export function oauthRequest(client: OAuthClient, options: ExchangeOptions) {
  const { logger } = options;
  return new Octokit({
    baseUrl: client.base,
    userAgent: 'integration-bridge',
    request: {
      ...(options.fetch ? { fetch: options.fetch } : {}),
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    },
    // plugin-request-log lines carry the route only (the code and secret travel in the body).
    log: {
      debug: (m: string) => logger.debug(`oauth: ${m}`),
      info: (m: string) => logger.debug(`oauth: ${m}`),
      warn: (m: string) => logger.warn(`oauth: ${m}`),
      error: (m: string) => logger.debug(`oauth: ${m}`),
    },
  }).request;
}

/** GitHub's authorize URL for this state. */
export function authorizeUrl(client: OAuthClient, state: string): string {
  return getWebFlowAuthorizationUrl({
    clientType: 'oauth-app',
    clientId: client.clientId,
    redirectUrl: client.redirectUrl,
    scopes: client.scopes,
    state,
    request: oauthRequest(client, { logger: noLogger }),
  }).url;
}

/** An OAuth error code as GitHub documents them (`bad_verification_code`); anything else is not shown. */
export function safeOAuthCode(err: unknown): string | undefined {
  const data = (err as { response?: { data?: { error?: unknown } } }).response?.data;
  const code = data?.error;
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : undefined;
}

/**
 * Exchanges an authorization code for a user token (`POST /login/oauth/access_token`). Any failure
 * (GitHub's `{error}` answer, a non-2xx, a timeout, a malformed answer) is a 502 `upstream_failed`
 * whose message names at most GitHub's error code: never the code, the secret or a token.
 */
export async function exchangeCode(
  client: OAuthClient,
  code: string,
  options: ExchangeOptions,
): Promise<GithubUserToken> {
  try {
    const response = await exchangeWebFlowCode({
      clientType: 'oauth-app',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      code,
      redirectUrl: client.redirectUrl,
      request: oauthRequest(client, options),
    });
    const token = response.authentication.token;
    if (typeof token !== 'string' || token === '') throw new Error('no access_token in the answer');
    options.logger.addSecret(token);
    // GitHub answers `scope: "repo,gist"`; oauth-methods splits on whitespace only.
    const scopes = String(response.data.scope ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    const expiry = expiryOf(response.data as unknown as Record<string, unknown>);
    if (expiry.refreshToken) options.logger.addSecret(expiry.refreshToken);
    return { token, tokenType: response.data.token_type, scopes, ...expiry };
  } catch (err) {
    const oauthError = safeOAuthCode(err);
    const status = (err as { status?: unknown }).status;
    options.logger.warn('GitHub OAuth code exchange failed', {
      oauthError,
      status: typeof status === 'number' ? status : undefined,
      reason: err instanceof Error ? err.name : typeof err,
    });
    throw new AppError(
      'upstream_failed',
      oauthError
        ? `GitHub refused the authorization code (${oauthError}): start again at /api/integrations/github/connect`
        : 'GitHub did not complete the authorization code exchange: try again later',
    );
  }
}

const noop = () => {};
const noLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => noLogger,
  addSecret: noop,
  scope: (_fields, fn) => fn(),
};

/**
 * Revokes one user token (`DELETE /applications/{client_id}/token` on the REST API, basic auth with
 * the client id and secret), so a disconnected account's token stops working at GitHub too. Only
 * this token: the whole grant would also end other tenants' connections of the same GitHub user.
 * Resolves false, after a warning that names no token, when GitHub could not be told: the caller
 * has already forgotten the token either way.
 */
export async function revokeToken(
  client: OAuthClient,
  token: string,
  options: ExchangeOptions & { apiBase: string },
): Promise<boolean> {
  try {
    await deleteToken({
      clientType: 'oauth-app',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      token,
      request: oauthRequest({ ...client, base: options.apiBase }, options),
    });
    return true;
  } catch (err) {
    const status = (err as { status?: unknown }).status;
    options.logger.warn(
      'GitHub did not revoke the disconnected account’s token; revoke it in GitHub settings',
      {
        status: typeof status === 'number' ? status : undefined,
      },
    );
    return false;
  }
}
