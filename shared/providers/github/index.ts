export type { GithubTuning, RateLimitInfo } from './create-octokit.ts';
export { BLOBS_PER_QUERY, BYTES_PER_QUERY } from './fetch-blobs.ts';
export { GithubAppState } from './github-app-state.ts';
export { findInstallationId, type GithubAuth, type InstallationLookup } from './github-client.ts';
export {
  createGithubRepoProvider,
  type GithubRepoProvider,
  type GithubRepoProviderOptions,
} from './github-repo-provider.ts';
export { mapGithubError } from './map-github-error.ts';
export { probeRepoAccess, type RepoReach } from './probe-repo-access.ts';
