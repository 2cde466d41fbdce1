import { MetricExporter } from '@google-cloud/opentelemetry-cloud-monitoring-exporter';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';

export interface CloudMonitoringOptions {
  /** Inferred from the credentials or the metadata server when absent. */
  projectId?: string | undefined;
  /** host:port, always HTTPS (the exporter builds `https://<endpoint>`). */
  apiEndpoint?: string | undefined;
}

/**
 * The Cloud Monitoring exporter (monitoring v3 REST through googleapis): metric descriptors are
 * created once per instrument, then time series are written as `workload.googleapis.com/<name>`.
 * Credentials are Application Default Credentials (the runtime service account on Cloud Run).
 */
export function createCloudMonitoringExporter(options: CloudMonitoringOptions): PushMetricExporter {
  return new MetricExporter({
    ...(options.projectId ? { projectId: options.projectId } : {}),
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
  });
}
