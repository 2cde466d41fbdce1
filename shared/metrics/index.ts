export {
  BridgeMetrics,
  type IntakeOutcome,
  type IntakeSource,
  METRIC_NAMES,
  type MetricsOutlet,
  noopMetrics,
  type SyncRunFacts,
  statusClass,
} from './bridge-metrics.ts';
export type { GaugeSources, RateLimitReading, TopicReading } from './gauges.ts';
export { meteredFetch, providerRoute } from './provider-route.ts';
