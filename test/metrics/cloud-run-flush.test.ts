import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../shared/context/index.ts';
import { cloudRunHttp } from '../../shared/edge/cloud-run.ts';
import { json } from '../../shared/http/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { createMetricsRuntime } from '../../shared/metrics/metrics-runtime.ts';

/** The value of one counter series in one export (undefined when the export has no such point). */
function counter(exported: ResourceMetrics | undefined, name: string, labels: Record<string, string>) {
  const metric = exported?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  const point = metric?.dataPoints.find((p) =>
    Object.entries(labels).every(([k, v]) => p.attributes[k] === v),
  );
  return point?.value as number | undefined;
}

/**
 * Cloud Run gives an instance CPU only while it handles a request: the edge (shared/edge/cloud-run.ts)
 * must have exported before the answer leaves. The reader's own timer is an hour here, so only the
 * edge's flush can have sent what the exporter holds when the response arrives.
 */
describe('the Cloud Run edge flushes the metrics exporter before it answers', () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // Cloud Monitoring takes a while to answer: an export finishes 200 ms after it starts, so an
  // answer sent before the flush finished would arrive with nothing exported yet.
  const slow: PushMetricExporter = {
    export: (metrics, done) => {
      setTimeout(() => exporter.export(metrics, done), 200);
    },
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
  let clock = 1_000_000;
  const metrics = createMetricsRuntime({
    exporter: slow,
    exportIntervalMs: 3_600_000,
    minFlushGapMs: 60_000,
    now: () => clock,
  });
  const ctx = { metrics, logger: createLogger({ level: 'error' }) } as unknown as AppContext;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    http(
      'metrics-flush-test',
      cloudRunHttp(
        'sync-worker',
        () => async (req) => {
          if (req.path === '/fail') return json(503, { error: { code: 'unavailable', message: 'down' } });
          ctx.metrics.syncFinished({
            direction: 'both',
            outcome: 'synced',
            trigger: 'api',
            durationSeconds: 0.2,
          });
          return json(200, { ok: true });
        },
        { context: async () => ctx },
      ),
    );
    const { getTestServer } = await import('@google-cloud/functions-framework/testing');
    server = getTestServer('metrics-flush-test');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await metrics.shutdown();
  });

  const runs = (exported: ResourceMetrics | undefined) =>
    counter(exported, 'bridge.sync.runs', { outcome: 'synced', trigger: 'api' });

  it('the first invocation’s figures are exported by the time its response arrives', async () => {
    expect(exporter.getMetrics()).toHaveLength(0);
    expect((await fetch(`${url}/work`, { method: 'POST' })).status).toBe(200);
    expect(exporter.getMetrics()).toHaveLength(1);
    expect(runs(exporter.getMetrics()[0])).toBe(1);
  });

  it('a request within a minute of the last flush does not export again (Cloud Monitoring: a point per 5 s)', async () => {
    clock += 1_000;
    expect((await fetch(`${url}/work`, { method: 'POST' })).status).toBe(200);
    expect(exporter.getMetrics()).toHaveLength(1);
  });

  it('after the gap the next answer exports the totals, a 5xx counted by function and status', async () => {
    clock += 60_000;
    expect((await fetch(`${url}/fail`, { method: 'POST' })).status).toBe(503);
    const exports = exporter.getMetrics();
    expect(exports).toHaveLength(2);
    expect(runs(exports[1])).toBe(2); // cumulative: the skipped flush lost nothing
    expect(counter(exports[1], 'bridge.http.server.errors', { function: 'sync-worker', status: '503' })).toBe(
      1,
    );
  });
});

describe('a Monitoring API that does not answer does not hold the answer', () => {
  const hung: PushMetricExporter = {
    export: () => {}, // never calls back
    forceFlush: async () => {},
    shutdown: async () => {},
    selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
  };
  const metrics = createMetricsRuntime({ exporter: hung, exportIntervalMs: 3_600_000 });
  const ctx = { metrics, logger: createLogger({ level: 'error' }) } as unknown as AppContext;
  let server: Server;

  beforeAll(async () => {
    http(
      'metrics-flush-hung',
      cloudRunHttp(
        'github-webhook',
        () => async () => {
          ctx.metrics.intake('github', 'push', 'accepted');
          return json(202, { status: 'accepted' });
        },
        {
          context: async () => ctx,
          flushWaitMs: 150,
        },
      ),
    );
    const { getTestServer } = await import('@google-cloud/functions-framework/testing');
    server = getTestServer('metrics-flush-hung');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers after the flush wait, not the export timeout', async () => {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
      method: 'POST',
    });
    const took = performance.now() - started;
    expect(res.status).toBe(202);
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(5_000);
  });
});
