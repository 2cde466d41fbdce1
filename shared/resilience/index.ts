export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPhase,
  type CircuitState,
} from './circuit-breaker.ts';
export {
  type GuardOptions,
  guardDesignProvider,
  guardRepoProvider,
  withDeadline,
} from './guard-providers.ts';
export {
  isContentCreating,
  type PacedFetchOptions,
  pacedFetch,
  type RateLimitHeadroom,
  readRateLimit,
} from './paced-fetch.ts';
export {
  DEFAULT_RESILIENCE,
  designScope,
  ResilienceKit,
  type ResilienceSettings,
  type ResilienceStatus,
  repoScope,
  type WritePacingState,
} from './resilience-kit.ts';
export { isTransientFailure, retryAfterSeconds } from './transient-failure.ts';
export { WriteWindow, type WriteWindowOptions, type WriteWindowState } from './write-window.ts';
