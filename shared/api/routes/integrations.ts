import type { AppContext } from '../../context/index.ts';
import { AppError, isAppError } from '../../errors/index.ts';
import { type HttpRequest, type HttpResponse, json } from '../../http/index.ts';
import { browserCookie, clearedBrowserCookie, readBrowserCookie } from '../../oauth/browser-cookie.ts';
import { authorizeUrl, exchangeCode, revokeToken } from '../../oauth/exchange-code.ts';
import {
  disconnectGithub,
  githubConnection,
  readGithubUserToken,
  storeGithubUserToken,
} from '../../oauth/github-credentials.ts';
import { CALLBACK_PATH, CONNECT_PATH, resolveOAuthClient } from '../../oauth/oauth-client.ts';
import { consumeOAuthState, createOAuthState } from '../../oauth/oauth-state.ts';
import type { Caller } from '../api-keys.ts';
import { authenticate } from '../authenticate.ts';
import type { RateLimiter } from '../rate-limit.ts';
import { Router } from '../router.ts';

/** The callback URL carries the code: no caching, and no Referer to wherever the browser goes next. */
const NO_LEAK = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

export interface IntegrationOptions {
  limiter?: RateLimiter;
  /** Where the browser lands after connecting (default: the dashboard). */
  doneUrl?: string;
  fetch?: typeof fetch;
}

type Handler = (req: HttpRequest) => Promise<HttpResponse>;

function connect(ctx: AppContext, options: IntegrationOptions): Handler {
  return async (req) => {
    const caller = await authenticated(ctx, req, options);
    const client = await resolveOAuthClient(ctx);
    const flow = await createOAuthState(ctx, caller);
    const url = authorizeUrl(client, flow.state);
    const headers = { ...NO_LEAK, 'set-cookie': browserCookie(flow.browserNonce, ctx.config.urls.api) };
    ctx.logger.info('GitHub connect started', { tenant: caller.tenant, keyId: caller.keyId });
    // A page script (fetch cannot read a cross-origin redirect) asks for JSON and navigates itself.
    if (/\bapplication\/json\b/i.test(req.headers.accept ?? '')) {
      return json(200, { authorizeUrl: url, expiresAt: flow.expiresAt.toISOString() }, headers);
    }
    return { status: 302, headers: { ...headers, location: url } };
  };
}

function callback(ctx: AppContext, options: IntegrationOptions): Handler {
  return async (req) => {
    const cleared = { ...NO_LEAK, 'set-cookie': clearedBrowserCookie(ctx.config.urls.api) };
    try {
      const flow = await consumeOAuthState(
        ctx,
        req.query.get('state'),
        readBrowserCookie(req.headers.cookie),
      );
      const denied = req.query.get('error');
      if (denied) {
        const code = /^[a-z_]{1,64}$/.test(denied) ? ` (${denied})` : '';
        throw new AppError('bad_request', `GitHub authorization was not granted${code}`);
      }
      const code = req.query.get('code');
      if (!code) throw new AppError('bad_request', 'Missing code parameter: GitHub sends it on the redirect');
      const client = await resolveOAuthClient(ctx);
      const token = await exchangeCode(client, code, {
        logger: ctx.logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      await storeGithubUserToken(ctx, { tenant: flow.tenant, connectedBy: flow.keyId, token });
      ctx.logger.info('GitHub account connected', { tenant: flow.tenant, scopes: token.scopes });
      const done = options.doneUrl ?? `${ctx.config.urls.api}/?github=connected`;
      return { status: 302, headers: { ...cleared, location: done } };
    } catch (err) {
      if (!isAppError(err)) throw err;
      throw new AppError(err.code, err.message, { headers: { ...err.headers, ...cleared }, cause: err });
    }
  };
}

/** Asks GitHub to revoke a forgotten token; false when that is not possible (no OAuth App now). */
async function revokeAtGithub(ctx: AppContext, token: string, options: IntegrationOptions): Promise<boolean> {
  const client = await resolveOAuthClient(ctx).catch(() => undefined);
  if (!client) return false;
  return revokeToken(client, token, {
    logger: ctx.logger,
    apiBase: ctx.config.GITHUB_API_URL,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

async function authenticated(
  ctx: AppContext,
  req: HttpRequest,
  options: IntegrationOptions,
): Promise<Caller> {
  const caller = await authenticate(ctx, req);
  options.limiter?.take(caller.keyId, caller.tier);
  return caller;
}

/**
 * `/api/integrations/github/...`: `connect` (bearer auth) → GitHub → `callback` (reached by the
 * browser without a bearer; the single-use state carries the tenant), and the connection's status.
 */
export function createIntegrationsRouter(
  ctx: AppContext,
  options: IntegrationOptions = {},
): Router<undefined> {
  return (
    new Router<undefined>()
      .add('GET', CONNECT_PATH, connect(ctx, options))
      .add('GET', CALLBACK_PATH, callback(ctx, options))
      .add('GET', '/api/integrations/github', async (req) => {
        const caller = await authenticated(ctx, req, options);
        return json(200, await githubConnection(ctx, caller.tenant));
      })
      // Forgets the tenant's token (its links then need another account or a grant: their next sync
      // is refused as forbidden) and asks GitHub to revoke it.
      .add('DELETE', '/api/integrations/github', async (req) => {
        const caller = await authenticated(ctx, req, options);
        // A token that cannot be read (a data-key problem) must not keep the tenant connected.
        const token = await readGithubUserToken(ctx, caller.tenant).catch((err: unknown) => {
          ctx.logger.warn('the stored GitHub token could not be read; forgetting it anyway', { error: err });
          return undefined;
        });
        const disconnected = await disconnectGithub(ctx, caller.tenant);
        // Forgotten here first; then GitHub is asked to revoke it (best effort, reported).
        const revokedAtGithub = token !== undefined && (await revokeAtGithub(ctx, token, options));
        ctx.logger.info('GitHub account disconnected', {
          tenant: caller.tenant,
          keyId: caller.keyId,
          disconnected,
        });
        return json(200, { connected: false, disconnected, revokedAtGithub });
      })
  );
}

/** The integrations router as an HTTP handler. */
export function createIntegrationsHandler(ctx: AppContext, options: IntegrationOptions = {}): Handler {
  const router = createIntegrationsRouter(ctx, options);
  return (req) => {
    const { handler, params } = router.match(req.method, req.path);
    return handler(req, params, undefined);
  };
}

/** One request to `/api/integrations/...` (the status API mounts this under its error handling). */
export function handleIntegrations(
  ctx: AppContext,
  req: HttpRequest,
  limiter?: RateLimiter,
): Promise<HttpResponse> {
  return createIntegrationsHandler(ctx, limiter ? { limiter } : {})(req);
}
