import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  type IMetricReader,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { BridgeMetrics } from './bridge-metrics.ts';

export interface MetricsRuntimeOptions {
  /** Serve `GET /metrics` (local mode): a pull reader, no port of its own. */
  prometheus?: boolean;
  /** Push exporter (Cloud Monitoring on GCP), read every `exportIntervalMs`. */
  exporter?: PushMetricExporter;
  exportIntervalMs?: number;
  /**
   * A flush at the end of an invocation waits at least this long after the previous one. Cloud
   * Monitoring takes one point per time series every 5 s at most, and counters are cumulative, so
   * a skipped flush loses nothing: the next one carries the totals.
   */
  minFlushGapMs?: number;
  /** service.name, service.instance.id, …: on GCP they make each instance its own `generic_task`. */
  resource?: Record<string, string>;
  now?: () => number;
}

/** Cloud Monitoring keeps custom metrics at 10 s resolution at best; 60 s is Google's default. */
const EXPORT_INTERVAL_MS = 60_000;

/** One MeterProvider with the readers the backend needs, behind the bridge's instruments. */
export function createMetricsRuntime(options: MetricsRuntimeOptions): BridgeMetrics {
  const readers: IMetricReader[] = [];
  let prometheus: PrometheusExporter | undefined;
  if (options.prometheus) {
    prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
    readers.push(prometheus);
  }
  if (options.exporter) {
    const interval = options.exportIntervalMs ?? EXPORT_INTERVAL_MS;
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: options.exporter,
        exportIntervalMillis: interval,
        exportTimeoutMillis: Math.min(30_000, interval),
      }),
    );
  }
  const provider = new MeterProvider({
    readers,
    ...(options.resource ? { resource: resourceFromAttributes(options.resource) } : {}),
  });
  const serializer = new PrometheusSerializer('', false, undefined, true, true);
  const now = options.now ?? Date.now;
  const minGap = options.minFlushGapMs ?? EXPORT_INTERVAL_MS;
  let lastFlush = Number.NEGATIVE_INFINITY;
  return new BridgeMetrics(provider.getMeter('integration-bridge'), {
    ...(prometheus
      ? {
          async prometheusText() {
            const { resourceMetrics } = await (prometheus as PrometheusExporter).collect();
            return serializer.serialize(resourceMetrics);
          },
        }
      : {}),
    async flush(force = false) {
      if (!options.exporter) return;
      if (!force && now() - lastFlush < minGap) return;
      lastFlush = now();
      await provider.forceFlush();
    },
    shutdown: () => provider.shutdown(),
  });
}
