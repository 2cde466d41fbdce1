export {
  createLocalGitRepoProvider,
  type LocalGitRepoOptions,
  type LocalGitRepoProvider,
} from './local-git-repo-provider.ts';
