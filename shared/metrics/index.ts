export {
  BridgeMetrics,
  type IntakeOutcome,
  type IntakeSource,
  METRIC_NAMES,
  noopMetrics,
  statusClass,
} from './bridge-metrics.ts';
export type { GaugeSources, TopicReading } from './gauges.ts';
export { meteredFetch, providerRoute } from './provider-route.ts';
