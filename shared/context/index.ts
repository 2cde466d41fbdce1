export type { AppContext, BridgeGithubAuth } from './app-context.ts';
export { SingleFlight } from './single-flight.ts';
export { TtlMemo } from './ttl-memo.ts';
