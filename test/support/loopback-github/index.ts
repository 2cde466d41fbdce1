export type { FaultHandle, FaultSpec } from './faults.ts';
export type { CommitObject } from './git-store.ts';
export type { LoopbackAuthOptions, RepoPermission, UserAccess } from './loopback-auth.ts';
export type { IssueRecord, LoopbackRepo, PullRecord, RepoSeed, StatusRecord } from './loopback-repo.ts';
export { assertGithubResponse, loadOpenapiValidator, type OpenapiValidator } from './openapi-validator.ts';
export {
  type LoopbackGithub,
  type LoopbackGithubOptions,
  type RequestLogEntry,
  startLoopbackGithub,
  type ValidationFailure,
} from './server.ts';
