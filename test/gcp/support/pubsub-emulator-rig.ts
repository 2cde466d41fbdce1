import { createGcpBackends, type GcpBackends } from '../../../shared/adapters/gcp/index.ts';
import { loadConfig } from '../../../shared/config/index.ts';
import { createLogger } from '../../../shared/logging/index.ts';
import { TOPICS } from '../../../shared/topology/index.ts';
import { call, type DeployedSubscription, deployTopology } from '../../support/emulators/deploy-topology.ts';
import { startEmulator } from '../../support/emulators/gcloud-emulators.ts';
import { type PushEndpoint, startPushEndpoint } from './push-endpoint.ts';

export interface PubSubRig {
  worker: PushEndpoint;
  scheduler: PushEndpoint;
  deployed: DeployedSubscription[];
  /** What a function builds with BRIDGE_BACKEND=gcp and PUBSUB_EMULATOR_HOST set (this prefix). */
  backends: GcpBackends;
  backendsFor(prefix: string): Promise<GcpBackends>;
  /** The emulator's REST API, below `projects/P/`. */
  rest(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

const ENV = ['PUBSUB_EMULATOR_HOST', 'METADATA_SERVER_DETECTION', 'GOOGLE_APPLICATION_CREDENTIALS'] as const;

/**
 * Google's Pub/Sub emulator with shared/topology deployed on it (deploy-topology.ts): the consumers'
 * push endpoints run the bridge's push handler; sync-requests keeps its dead-letter policy (and so
 * loses ordering), github-events carries the declared retry policy. PUBSUB_EMULATOR_HOST is set as a
 * developer sets it (METADATA_SERVER_DETECTION=none: no credentials, so dialling Google fails at
 * once) and restored by close(), which also stops the emulator by process group.
 */
export async function startPubSubRig(project: string, prefix: string): Promise<PubSubRig> {
  const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  const started: Array<{ stop(): Promise<void> }> = [];
  const opened: GcpBackends[] = [];
  const close = async () => {
    await Promise.allSettled(opened.map((b) => b.close()));
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const emulator = await startEmulator('pubsub', project);
    started.push(emulator);
    const [worker, scheduler] = await Promise.all([
      startPushEndpoint('sync-worker', prefix),
      startPushEndpoint('scheduler', prefix),
    ]);
    started.push(worker, scheduler);
    const rest = `http://${emulator.host}`;
    const deployed = await deployTopology({
      rest,
      project,
      prefix,
      endpoints: { 'sync-worker': worker.url, scheduler: scheduler.url },
      deadLettered: [TOPICS.syncRequests],
      retried: [TOPICS.githubEvents],
    });
    process.env.PUBSUB_EMULATOR_HOST = emulator.host;
    process.env.METADATA_SERVER_DETECTION = 'none';
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    const backendsFor = async (p: string) => {
      const config = loadConfig({
        BRIDGE_BACKEND: 'gcp',
        GOOGLE_CLOUD_PROJECT: project,
        BRIDGE_TOPIC_PREFIX: p,
      });
      const backends = await createGcpBackends(config, createLogger({ write: () => {} }));
      opened.push(backends);
      return backends;
    };
    return {
      worker,
      scheduler,
      deployed,
      backends: await backendsFor(prefix),
      backendsFor,
      rest: (method, path, body) => call(method, `${rest}/v1/projects/${project}/${path}`, body),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
