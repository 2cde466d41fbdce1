import type { AppContext } from '../context/index.ts';
import type { ProviderFactories, ProviderRegistry } from '../providers/index.ts';

/**
 * The provider registry of a context: local git and local files always (unless on GCP, where a
 * file:// URL would read the server's own disk), GitHub and Drive when credentials are configured.
 * Built by the composition root on the context's first use of `providers()`, so the cloud
 * providers' SDKs load only in a process that syncs.
 */
export async function buildProviderRegistry(ctx: AppContext): Promise<ProviderRegistry> {
  const { createProviderRegistry, githubHostFromApiUrl } = await import('../providers/index.ts');
  const { config } = ctx;
  const factories: ProviderFactories = {};
  const { githubFactory } = await import('./github-factory.ts');
  const github = await githubFactory(ctx);
  if (github) factories.github = github;
  const { driveFactory } = await import('./drive-factory.ts');
  const drive = await driveFactory(ctx);
  if (drive) factories.drive = drive;
  return createProviderRegistry(factories, {
    githubHost: githubHostFromApiUrl(config.GITHUB_API_URL),
    allowLocal: config.BRIDGE_BACKEND === 'local',
  });
}
