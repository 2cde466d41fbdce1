export { SERVICE_MANIFEST_NAMES } from '../snapshot-paths.ts';
export type { IssueRecord, PullRecord, StatusRecord } from './bridge-records.ts';
export { assertBranchName, assertObjectId, assertRepoPath } from './git-names.ts';
export { BRIDGE_IDENTITY, type GitIdentity } from './git-runner.ts';
export {
  createLocalGitRepoProvider,
  type LocalGitRepoOptions,
  type LocalGitRepoProvider,
} from './local-git-repo-provider.ts';
