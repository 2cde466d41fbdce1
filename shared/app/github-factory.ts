import { type RepoProvider, SECRETS } from '../ports/index.ts';
import { guardRepoProvider, pacedFetch, resilienceFor } from '../resilience/index.ts';
import type { AppContext } from './context.ts';

/**
 * GitHub repositories need credentials: a GitHub App (preferred; the installation is found per
 * repository) or a token, from the environment locally or from the secret store on GCP.
 * Each provider sits behind the API host's circuit breaker, and its content-creating requests share
 * the installation's write window (an App is installed per account, so the owner stands for it).
 */
export async function githubFactory(
  ctx: AppContext,
): Promise<((d: { owner: string; repo: string }) => RepoProvider) | undefined> {
  const { config } = ctx;
  const appKey =
    config.GITHUB_APP_PRIVATE_KEY ??
    (config.GITHUB_APP_ID ? (await ctx.secrets.accessLatest(SECRETS.githubAppPrivateKey))?.value : undefined);
  const token =
    config.GITHUB_TOKEN ??
    (await ctx.secrets.accessLatest(SECRETS.githubToken).catch(() => undefined))?.value;
  const auth = config.GITHUB_APP_ID && appKey ? { appId: config.GITHUB_APP_ID, privateKey: appKey } : token;
  if (!auth) return undefined;
  ctx.logger.addSecret(typeof auth === 'string' ? auth : auth.privateKey);
  const { createGithubRepoProvider } = await import('../providers/github/index.ts');
  const logger = ctx.logger.child({ provider: 'github' });
  const kit = resilienceFor(ctx);
  const host = new URL(config.GITHUB_API_URL).host;
  const breaker = kit.breaker(`github:${host}`);
  return ({ owner, repo }) => {
    const installation = typeof auth === 'string' ? 'token' : `app-${auth.appId}/${owner.toLowerCase()}`;
    const key = `github:${host}/${installation}`;
    const fetch = pacedFetch({
      window: kit.writeWindow(key),
      timeoutMs: kit.settings.requestTimeoutMs,
      onRateLimit: (headroom) => kit.noteRateLimit(key, headroom),
    });
    const provider = createGithubRepoProvider({
      owner,
      repo,
      baseUrl: config.GITHUB_API_URL,
      auth,
      logger,
      tuning: kit.settings.githubTuning,
      fetch,
    });
    return guardRepoProvider(provider, { breaker, deadlineMs: kit.settings.callDeadlineMs });
  };
}
