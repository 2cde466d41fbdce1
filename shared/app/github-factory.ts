import { createHash } from 'node:crypto';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import type { RepoProvider } from '../ports/index.ts';
import type { TenantCredentials } from '../providers/index.ts';
import { guardRepoProvider, pacedFetch, repoScope } from '../resilience/index.ts';

const NO_CREDENTIALS =
  'GitHub repositories need GitHub credentials and none are configured: set GITHUB_TOKEN, or GITHUB_APP_ID ' +
  'with GITHUB_APP_PRIVATE_KEY, or connect a GitHub account (GET /api/integrations/github/connect)';

/**
 * GitHub repositories need credentials: the tenant's own GitHub account (the bridge then acts as that
 * user for the tenant's links), or the bridge's GitHub App (preferred; the installation is found per
 * repository) or token, from the environment locally or the secret store on GCP, when shared/access
 * says they may serve the link (`credentials.bridge`). Each provider sits behind a circuit breaker and a write window of whoever GitHub counts the
 * requests against (the installation, the bridge's token or the tenant's account), so one tenant's
 * exhausted rate limit or revoked token never stops the others.
 */
export async function githubFactory(
  ctx: AppContext,
): Promise<
  ((d: { owner: string; repo: string }, credentials?: TenantCredentials) => RepoProvider) | undefined
> {
  const { config } = ctx;
  const bridgeAuth = await ctx.bridgeGithubAuth();
  // Without its own credentials the bridge still serves tenants that connected an account (OAuth).
  if (!bridgeAuth && !config.GITHUB_OAUTH_CLIENT_ID) return undefined;
  const { createGithubRepoProvider } = await import('../providers/github/index.ts');
  const logger = ctx.logger.child({ provider: 'github' });
  const kit = ctx.resilience;
  const host = new URL(config.GITHUB_API_URL).host;
  const counted = ctx.metrics.providerFetch('github');
  return ({ owner, repo }, credentials) => {
    const userToken = credentials?.githubToken;
    // The bridge's own credentials only where shared/access allowed them (admin tenant, a grant).
    if (!userToken && !credentials?.bridge) {
      throw new AppError('forbidden', `No credentials this tenant may use reach ${owner}/${repo}`);
    }
    const auth = userToken ?? bridgeAuth;
    if (!auth) throw new AppError('validation_failed', NO_CREDENTIALS);
    if (userToken) ctx.logger.addSecret(userToken);
    // Rate limits and write pacing belong to whoever GitHub counts: an App installation, the bridge's
    // token, or a user account (named by a hash: keys show up in health output).
    const installation = userToken
      ? `user-${createHash('sha256').update(userToken).digest('hex').slice(0, 12)}`
      : typeof auth === 'string'
        ? 'token'
        : `app-${auth.appId}/${owner.toLowerCase()}`;
    const key = `github:${host}/${installation}`;
    kit.noteScope(key, repoScope(owner, repo)); // a tenant's health shows the keys of its own repositories
    const breaker = kit.breaker(key);
    const fetch = pacedFetch({
      window: kit.writeWindow(key),
      timeoutMs: kit.settings.requestTimeoutMs,
      onRateLimit: (headroom) => kit.noteRateLimit(key, headroom),
      inner: counted,
    });
    const provider = createGithubRepoProvider({
      owner,
      repo,
      baseUrl: config.GITHUB_API_URL,
      auth,
      logger,
      tuning: kit.settings.githubTuning,
      fetch,
      appState: ctx.githubApps,
    });
    return guardRepoProvider(provider, { breaker, deadlineMs: kit.settings.callDeadlineMs });
  };
}
