export * from './local-file/index.ts';
export * from './local-git/index.ts';
export {
  createProviderRegistry,
  type DesignDescriptor,
  githubHostFromApiUrl,
  type ProviderFactories,
  type ProviderRegistry,
  type ProviderRegistryOptions,
  parseDesignUrl,
  parseRepoUrl,
  type RepoDescriptor,
  type ResolvedDesign,
  type ResolvedRepo,
  type TenantCredentials,
  type UrlOptions,
} from './registry.ts';
