export * from './local-file/index.ts';
export * from './local-git/index.ts';
export * from './outbound/index.ts';
export {
  createProviderRegistry,
  githubHostFromApiUrl,
  type ProviderFactories,
  type ProviderRegistry,
  parseDesignUrl,
  parseRepoUrl,
  type RepoDescriptor,
  type TenantCredentials,
} from './registry.ts';
