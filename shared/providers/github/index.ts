export type { GithubTuning } from './create-octokit.ts';
export { BLOBS_PER_QUERY } from './fetch-blobs.ts';
export { GithubAppState } from './github-app-state.ts';
export { findInstallationId, type GithubAuth } from './github-client.ts';
export {
  createGithubRepoProvider,
  type GithubRepoProvider,
} from './github-repo-provider.ts';

export { probeRepoAccess } from './probe-repo-access.ts';
