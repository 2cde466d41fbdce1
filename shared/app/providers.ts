import type { ProviderFactories, ProviderRegistry } from '../providers/index.ts';
import type { AppContext } from './context.ts';

const registries = new WeakMap<AppContext, Promise<ProviderRegistry>>();

/**
 * The provider registry for this context: local git and local files always (unless on GCP, where a
 * file:// URL would read the server's own disk), GitHub and Drive when credentials are configured.
 * The cloud providers' SDKs are imported only when a link needs them.
 */
export function providerRegistry(ctx: AppContext): Promise<ProviderRegistry> {
  let registry = registries.get(ctx);
  if (!registry) {
    registry = build(ctx);
    registries.set(ctx, registry);
  }
  return registry;
}

async function build(ctx: AppContext): Promise<ProviderRegistry> {
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

/**
 * What a link's providers act with: the tenant's connected account, or the bridge's own credentials
 * where the tenant may use them; a 403 saying how to get access otherwise (see shared/access).
 */
export { tenantCredentials } from '../access/index.ts';
