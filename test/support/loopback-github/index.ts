export type { FaultSpec } from './faults.ts';

export type { RepoPermission } from './loopback-auth.ts';

export { assertGithubResponse } from './openapi-validator.ts';
export {
  type LoopbackGithub,
  type LoopbackGithubOptions,
  startLoopbackGithub,
} from './server.ts';
