export type { GithubTuning, RateLimitInfo } from './create-octokit.ts';
export { BLOBS_PER_QUERY, BYTES_PER_QUERY } from './fetch-blobs.ts';
export type { GithubAuth } from './github-client.ts';
export {
  createGithubRepoProvider,
  type GithubRepoProvider,
  type GithubRepoProviderOptions,
} from './github-repo-provider.ts';
export { mapGithubError } from './map-github-error.ts';
