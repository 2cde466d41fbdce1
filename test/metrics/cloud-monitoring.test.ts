import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SessionProcess, spawnSession } from '../support/processes/process-session.ts';
import { type LoopbackMonitoring, opensslMissing, startLoopbackMonitoring } from './loopback-monitoring.ts';

const CHILD = fileURLToPath(new URL('./fixtures/export-once.ts', import.meta.url));
const PROJECT = 'bridge-metrics-test';
const RUNS = 'workload.googleapis.com/bridge.sync.runs';
const skip = opensslMissing();

/**
 * The gcp backend's exporter (the Cloud Monitoring exporter through googleapis' monitoring v3 REST
 * client) against a loopback Monitoring API over HTTPS, authenticated as on Cloud Run through a
 * loopback metadata server. It runs in a child process: the loopback's certificate is trusted
 * through NODE_EXTRA_CA_CERTS and the metadata server named by GCE_METADATA_HOST, both read from
 * the environment, which the test process keeps as it is.
 */
describe.skipIf(skip !== undefined)(`Cloud Monitoring export ${skip ? `(skipped: ${skip})` : ''}`, () => {
  let monitoring: LoopbackMonitoring;
  let home: string;
  let child: SessionProcess | undefined;

  beforeAll(async () => {
    monitoring = await startLoopbackMonitoring(PROJECT);
    home = await mkdtemp(join(tmpdir(), 'bridge-export-home-'));
    child = spawnSession('export-once', process.execPath, [CHILD], {
      env: {
        PATH: process.env.PATH,
        // No user credentials of this machine: the auth library falls through to the metadata server.
        HOME: home,
        CLOUDSDK_CONFIG: home,
        NODE_EXTRA_CA_CERTS: monitoring.certFile,
        GCE_METADATA_HOST: monitoring.metadataHost,
        BRIDGE_BACKEND: 'gcp',
        GOOGLE_CLOUD_PROJECT: PROJECT,
        MONITORING_API_ENDPOINT: monitoring.endpoint,
        K_SERVICE: 'bridge-sync-worker',
        K_REVISION: 'bridge-sync-worker-00001-abc',
      },
    });
    await child.waitFor(/shut down/, 30_000);
  });
  afterAll(async () => {
    await child?.stop();
    await monitoring?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('creates the metric descriptor once, then writes bridge.sync.runs with its labels and values', () => {
    const runs = monitoring.descriptors().filter((d) => d.type === RUNS);
    expect(runs).toEqual([expect.objectContaining({ metricKind: 'CUMULATIVE', valueType: 'INT64' })]);
    const series = monitoring.timeSeries().filter((s) => s.metric.type === RUNS);
    // The flush at the end of an invocation, and the final export at shutdown: the same totals.
    expect(series.length).toBeGreaterThanOrEqual(2);
    const value = (labels: Record<string, string>) =>
      series
        .filter((s) => JSON.stringify(s.metric.labels) === JSON.stringify(labels))
        .map((s) => Number(s.points[0]?.value.int64Value));
    expect(value({ outcome: 'failed', trigger: 'api' })[0]).toBe(2);
    expect(value({ outcome: 'synced', trigger: 'github-push' })[0]).toBe(1);
    expect(new Set(series.map((s) => s.metricKind))).toEqual(new Set(['CUMULATIVE']));
  });

  it('each instance writes as its own generic_task (job = the Cloud Run service)', () => {
    const resources = monitoring.timeSeries().map((s) => s.resource);
    expect(new Set(resources.map((r) => r.type))).toEqual(new Set(['generic_task']));
    expect(resources[0]?.labels).toMatchObject({
      job: 'bridge-sync-worker',
      namespace: 'integration-bridge',
    });
    expect(resources[0]?.labels?.task_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the duration histogram goes out as a distribution', () => {
    const durations = monitoring
      .timeSeries()
      .filter((s) => s.metric.type === 'workload.googleapis.com/bridge.sync.duration');
    expect(durations.length).toBeGreaterThan(0);
    expect(durations[0]?.valueType).toBe('DISTRIBUTION');
  });

  it('every Monitoring request carried the access token from the metadata server', () => {
    expect(monitoring.requests.length).toBeGreaterThan(0);
    expect(monitoring.requests.every((r) => r.authorization === 'Bearer ya29.loopback-metadata-token')).toBe(
      true,
    );
  });
});
