import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small GitHub OAuth server on loopback speaking the documented web flow:
 * `GET /login/oauth/authorize` (the user approves at once: 302 to redirect_uri with a fresh code and
 * the state) and `POST /login/oauth/access_token` (form or JSON body; JSON answer with
 * `Accept: application/json`, and GitHub's 200 `{error, error_description, error_uri}` on a bad code).
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#web-application-flow
 */
export interface LoopbackOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** The token minted for each code (default: a fresh gho_ token per code). */
  token?: () => string;
  /**
   * Answer as a GitHub App does for user-to-server tokens: `expires_in` and a single-use
   * `refresh_token` (`refresh_token_expires_in`), renewed with `grant_type=refresh_token`.
   * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
   */
  expiring?: { expiresInSeconds: number; refreshTokenExpiresInSeconds: number };
  /** Called with every access token minted (by a code or a refresh), e.g. to let a loopback GitHub accept it. */
  onToken?: (token: string, expiresAt: number | undefined) => void;
  now?: () => number;
}

export type OAuthFault =
  | 'bad_verification_code'
  | 'bad_refresh_token'
  | 'incorrect_client_credentials'
  | 'http_500'
  | 'html';

export interface ExchangeRecord {
  contentType: string | undefined;
  accept: string | undefined;
  params: Record<string, string>;
  outcome: 'token' | 'error' | 'fault';
}

export interface LoopbackOAuth {
  url: string;
  /** Every code exchange received, in order. */
  readonly exchanges: ExchangeRecord[];
  /** Codes issued by /authorize and the token each was (or will be) exchanged for. */
  readonly issued: ReadonlyArray<{ code: string; token: string; redirectUri: string }>;
  /** The next exchange answers with this fault instead. */
  failNext(fault: OAuthFault): void;
  /** Tokens revoked through the REST API. */
  readonly revoked: readonly string[];
  /** Every refresh request (`grant_type=refresh_token`), in order. */
  readonly refreshes: ReadonlyArray<{ outcome: 'token' | 'error' | 'fault' }>;
  /** Holds refresh answers until the returned function is called (to make refreshes overlap). */
  holdRefreshes(): () => void;
  /** Resolves when the next refresh request arrives. */
  nextRefresh(): Promise<void>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseParams(contentType: string | undefined, body: string): Record<string, string> {
  if (/json/i.test(contentType ?? '')) {
    const parsed = JSON.parse(body || '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

const oauthError = (error: string, description: string) => ({
  error,
  error_description: description,
  error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replaceAll('_', '-')}`,
});

export async function startLoopbackOAuth(options: LoopbackOAuthOptions): Promise<LoopbackOAuth> {
  const exchanges: ExchangeRecord[] = [];
  const issued: Array<{ code: string; token: string; redirectUri: string; used: boolean; scope: string }> =
    [];
  const faults: OAuthFault[] = [];
  const revoked: string[] = [];
  const refreshes: Array<{ outcome: 'token' | 'error' | 'fault' }> = [];
  const refreshTokens = new Map<string, { used: boolean; expiresAt: number }>();
  const now = options.now ?? Date.now;
  let hold: Promise<void> | undefined;
  let arrived: Array<() => void> = [];
  const mintToken =
    options.token ?? (() => `${options.expiring ? 'ghu' : 'gho'}_${randomBytes(18).toString('hex')}`);
  const mint = () => {
    const token = mintToken();
    options.onToken?.(token, options.expiring ? now() + options.expiring.expiresInSeconds * 1000 : undefined);
    return token;
  };
  /** The token answer, with expiry and a fresh refresh token when the server mints expiring tokens. */
  const tokenAnswer = (token: string, scope: string) => {
    if (!options.expiring) return { access_token: token, scope, token_type: 'bearer' };
    const refresh = `ghr_${randomBytes(30).toString('hex')}`;
    refreshTokens.set(refresh, {
      used: false,
      expiresAt: now() + options.expiring.refreshTokenExpiresInSeconds * 1000,
    });
    return {
      access_token: token,
      expires_in: options.expiring.expiresInSeconds,
      refresh_token: refresh,
      refresh_token_expires_in: options.expiring.refreshTokenExpiresInSeconds,
      scope,
      token_type: 'bearer',
    };
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://loopback');
      if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        if (url.searchParams.get('client_id') !== options.clientId || !redirectUri) {
          return send(res, 404, { message: 'Not Found' });
        }
        const code = randomBytes(10).toString('hex');
        const scope = url.searchParams.get('scope') ?? '';
        issued.push({ code, token: mint(), redirectUri, used: false, scope });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      const grantPath = /^\/applications\/([^/]+)\/token$/.exec(url.pathname);
      if (req.method === 'DELETE' && grantPath) {
        // REST API: DELETE /applications/{client_id}/token, basic auth with the client credentials.
        const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
        const auth = req.headers.authorization ?? '';
        const body = JSON.parse((await readBody(req)) || '{}') as { access_token?: string };
        if (
          decodeURIComponent(grantPath[1] ?? '') !== options.clientId ||
          auth.toLowerCase() !== `basic ${basic}`.toLowerCase()
        ) {
          return send(res, 404, { message: 'Not Found' });
        }
        const grant = issued.find((g) => g.token === body.access_token);
        if (!grant) return send(res, 422, { message: 'Validation Failed' });
        revoked.push(grant.token);
        res.writeHead(204);
        return res.end();
      }
      if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
        const params = parseParams(req.headers['content-type'], await readBody(req));
        const record: ExchangeRecord = {
          contentType: req.headers['content-type'],
          accept: req.headers.accept,
          params,
          outcome: 'fault',
        };
        exchanges.push(record);
        if (params.grant_type === 'refresh_token') {
          const entry = { outcome: 'fault' as 'token' | 'error' | 'fault' };
          refreshes.push(entry);
          for (const wake of arrived) wake();
          arrived = [];
          await hold;
          const fault = faults.shift();
          if (fault === 'http_500') return send(res, 500, { message: 'Internal error' });
          entry.outcome = 'error';
          if (params.client_id !== options.clientId || params.client_secret !== options.clientSecret) {
            return send(
              res,
              200,
              oauthError(
                'incorrect_client_credentials',
                'The client_id and/or client_secret passed are incorrect.',
              ),
            );
          }
          const known = refreshTokens.get(params.refresh_token ?? '');
          if (fault === 'bad_refresh_token' || !known || known.used || known.expiresAt <= now()) {
            return send(
              res,
              200,
              oauthError('bad_refresh_token', 'The refresh token passed is incorrect or expired.'),
            );
          }
          known.used = true;
          entry.outcome = 'token';
          return send(res, 200, tokenAnswer(mint(), ''));
        }
        const fault = faults.shift();
        if (fault === 'http_500') return send(res, 500, { message: 'Internal error' });
        if (fault === 'html') return send(res, 200, '<html>Unicorn!</html>', { 'content-type': 'text/html' });
        record.outcome = 'error';
        if (
          fault === 'incorrect_client_credentials' ||
          params.client_id !== options.clientId ||
          params.client_secret !== options.clientSecret
        ) {
          return send(
            res,
            200,
            oauthError(
              'incorrect_client_credentials',
              'The client_id and/or client_secret passed are incorrect.',
            ),
          );
        }
        const grant = issued.find((g) => g.code === params.code);
        if (fault === 'bad_verification_code' || !grant || grant.used) {
          return send(
            res,
            200,
            oauthError('bad_verification_code', 'The code passed is incorrect or expired.'),
          );
        }
        if (params.redirect_uri && params.redirect_uri !== grant.redirectUri) {
          return send(
            res,
            200,
            oauthError(
              'redirect_uri_mismatch',
              'The redirect_uri MUST match the registered callback URL for this application.',
            ),
          );
        }
        grant.used = true;
        record.outcome = 'token';
        return send(res, 200, tokenAnswer(grant.token, grant.scope.replaceAll(' ', ',')));
      }
      send(res, 404, { message: 'Not Found' });
    })().catch((err: unknown) => send(res, 500, { message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    issued,
    revoked,
    refreshes,
    holdRefreshes() {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = () => {
          hold = undefined;
          resolve();
        };
      });
      return release;
    },
    nextRefresh: () => new Promise<void>((resolve) => arrived.push(resolve)),
    failNext: (fault) => faults.push(fault),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
