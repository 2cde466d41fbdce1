export { CircuitBreaker } from './circuit-breaker.ts';
export {
  guardDesignProvider,
  guardRepoProvider,
} from './guard-providers.ts';
export {
  isContentCreating,
  pacedFetch,
} from './paced-fetch.ts';
export {
  designScope,
  driveCircuit,
  ResilienceKit,
  type ResilienceSettings,
  type ResilienceStatus,
  repoScope,
} from './resilience-kit.ts';
export { isTransientFailure } from './transient-failure.ts';
export { WriteWindow } from './write-window.ts';
