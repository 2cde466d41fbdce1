import type { Octokit } from '@octokit/rest';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import { SECRETS } from '../ports/index.ts';
import { pacedFetch } from '../resilience/index.ts';

/** An Octokit authenticated as the GitHub App itself (JWT), for the `/app/*` endpoints. */
export type GithubAppClient = Octokit;

/**
 * The App client when GITHUB_APP_ID and a private key are configured; the key is read from the
 * secret store at use time (so a rotated key applies without a restart), else from the config.
 */
export async function githubAppClient(ctx: AppContext): Promise<GithubAppClient | undefined> {
  const appId = ctx.config.GITHUB_APP_ID;
  if (!appId) return undefined;
  const stored = await ctx.secrets.accessLatest(SECRETS.githubAppPrivateKey);
  const privateKey = stored?.value ?? ctx.config.GITHUB_APP_PRIVATE_KEY;
  if (!privateKey) return undefined;
  ctx.logger.addSecret(privateKey);
  const [{ Octokit }, { createAppAuth }] = await Promise.all([
    import('@octokit/rest'),
    import('@octokit/auth-app'),
  ]);
  const logger = ctx.logger.child({ component: 'github-app' });
  // Octokit has no timeout of its own: a GitHub that never answers would hold the job for ever.
  const fetch = pacedFetch({
    timeoutMs: ctx.resilience.settings.requestTimeoutMs,
    inner: ctx.metrics.providerFetch('github'),
  });
  return new Octokit({
    request: { fetch },
    authStrategy: createAppAuth,
    auth: { appId, privateKey },
    baseUrl: ctx.config.GITHUB_API_URL,
    userAgent: 'integration-bridge-scheduler',
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
}

/** Status and GitHub's own message only: the request (with the JWT) never reaches a message. */
export function githubAppError(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as { status?: unknown; response?: { data?: { message?: unknown } } };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const said =
    typeof e.response?.data?.message === 'string' ? `: ${e.response.data.message.slice(0, 200)}` : '';
  if (status === undefined)
    return new AppError('unavailable', `GitHub is unreachable (${what})`, { cause: err });
  // Octokit reports a fetch aborted by the request timeout as a 500 without a response.
  if (e.response === undefined && (err as { cause?: { name?: unknown } }).cause?.name === 'TimeoutError')
    return new AppError('unavailable', `${what}: GitHub did not answer within the request timeout`, {
      cause: err,
    });
  if (status === 401)
    return new AppError('unauthorized', `${what}: GitHub rejected the App's JWT${said}`, { cause: err });
  if (status === 404) return new AppError('not_found', `${what}: not found${said}`, { cause: err });
  if (status === 403 || status === 429)
    return new AppError('rate_limited', `${what}: GitHub answered ${status}${said}`, { cause: err });
  if (status >= 500) return new AppError('unavailable', `${what}: GitHub answered ${status}`, { cause: err });
  return new AppError('upstream_failed', `${what}: GitHub answered ${status}${said}`, { cause: err });
}
