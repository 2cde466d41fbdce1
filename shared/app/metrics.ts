import { randomUUID } from 'node:crypto';
import type { Config } from '../config/index.ts';
import type { BridgeMetrics } from '../metrics/index.ts';

/** setTimeout's longest delay (about 24.8 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * The context's metrics runtime: locally a pull reader behind `GET /metrics`; on GCP a reader
 * exporting to Cloud Monitoring, flushed by the Cloud Run edge before it answers (the CPU stops
 * between requests, so a timer would not run). Loaded lazily: the SDK takes
 * ~70 ms to load and a function's module load stays cheap (cold start).
 */
export async function buildMetrics(
  config: Config,
  env: Record<string, string | undefined>,
): Promise<BridgeMetrics> {
  const { createMetricsRuntime } = await import('../metrics/metrics-runtime.ts');
  if (config.BRIDGE_BACKEND !== 'gcp') return createMetricsRuntime({ prometheus: true });
  const { createCloudMonitoringExporter } = await import('../adapters/gcp/cloud-monitoring.ts');
  return createMetricsRuntime({
    // Only the edge exports (before an answer, at most once a minute, and on SIGTERM): a timer of
    // the reader's own would write points between the edge's, and Cloud Monitoring refuses a point
    // less than 5 s after the previous one of its series. Between requests nothing changes anyway.
    exportIntervalMs: LONGEST_TIMER_MS,
    exporter: createCloudMonitoringExporter({
      projectId: config.GOOGLE_CLOUD_PROJECT,
      apiEndpoint: config.MONITORING_API_ENDPOINT,
    }),
    // Each instance is its own `generic_task` (job = the Cloud Run service, task = this instance),
    // so two instances never write points to one time series.
    resource: {
      'service.name': env.K_SERVICE ?? 'integration-bridge',
      'service.namespace': 'integration-bridge',
      'service.instance.id': randomUUID(),
      ...(env.K_REVISION ? { 'service.version': env.K_REVISION } : {}),
    },
  });
}
