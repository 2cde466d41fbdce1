import { type RepoProvider, SECRETS } from '../ports/index.ts';
import type { AppContext } from './context.ts';

/**
 * GitHub repositories need credentials: a GitHub App (preferred; the installation is found per
 * repository) or a token, from the environment locally or from the secret store on GCP.
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
  return ({ owner, repo }) =>
    createGithubRepoProvider({ owner, repo, baseUrl: config.GITHUB_API_URL, auth, logger });
}
