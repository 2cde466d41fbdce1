import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECRETS } from '../../../shared/ports/index.ts';
import { FUNCTION_NAMES, type FunctionName, type TopicName } from '../../../shared/topology/index.ts';
import {
  type DeployedSubscription,
  deployTopology,
  publish,
} from '../../support/emulators/deploy-topology.ts';
import { type Emulator, freePort, startEmulator } from '../../support/emulators/gcloud-emulators.ts';
import { type CloudRunFunction, stageSource, startCloudRunFunction } from './cloud-run-functions.ts';
import { type StandIns, startStandIns } from './stand-ins.ts';
import { terraformDeployments } from './terraform-env.ts';

export interface TopologyOptions {
  project?: string;
  prefix?: string;
  /** Repositories and Drive designs the stand-ins hold (seeded with the example architecture). */
  repos: readonly string[];
  designs: readonly string[];
  /** Topics whose push subscription carries the dead-letter policy (see deploy-topology.ts). */
  deadLettered: readonly TopicName[];
  logLevel?: string;
  /** See StandInOptions.driveNotifies (default false). */
  driveNotifies?: boolean;
  /** Real GitHub instead of the loopback one: its API URL and a token (the github-token secret). */
  github?: { apiUrl: string; token: string };
  /** Real Drive instead of the loopback one: a Google access token (standing in for ADC). */
  googleAccessToken?: string;
  /** status-api's port (default: any free port). */
  apiPort?: number;
  /** The bridge-admin-token secret (default: a fixed test token). */
  adminToken?: string;
  /** Each line a function writes (its log), as it comes. */
  onLog?: (fn: FunctionName, line: string) => void;
}

export interface Topology {
  project: string;
  prefix: string;
  adminToken: string;
  webhookSecret: string;
  functions: Record<FunctionName, CloudRunFunction>;
  subscriptions: DeployedSubscription[];
  emulators: { firestore: Emulator; pubsub: Emulator };
  standIns: StandIns;
  /** Publishes to a topic as an outside publisher (Cloud Scheduler, Secret Manager) would. */
  publish(
    topic: TopicName,
    data: unknown,
    attributes?: Record<string, string>,
    orderingKey?: string,
  ): Promise<void>;
  /** Every function's output so far, for a failure message. */
  logs(): string;
  close(): Promise<void>;
}

const GITHUB_TOKEN = 'ghp_e2eloopbacktoken000000000000000000';
const GOOGLE_TOKEN = 'ya29.e2e-loopback-token';

/**
 * The whole topology on this machine: both emulators, the stand-ins, the topics and push
 * subscriptions of shared/topology, and the five functions, each its own Functions Framework process
 * with the environment Terraform gives it, pointed at the emulators and stand-ins the way a
 * developer points the clients at emulators. Everything started is stopped by close(), by process
 * group, also when startup fails half-way.
 */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const project = options.project ?? 'demo-bridge-e2e';
  const prefix = options.prefix ?? 'e2e-';
  const adminToken = options.adminToken ?? 'bat_e2e-admin-token-0123456789abcdef';
  const webhookSecret = 'e2e-webhook-secret-v1';
  const dir = await mkdtemp(join(tmpdir(), 'bridge-topology-'));
  const started: Array<{ stop(): Promise<void> }> = [];
  const closeAll = async () => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const ports = Object.fromEntries(
      await Promise.all(
        FUNCTION_NAMES.map(
          async (n) =>
            [n, n === 'status-api' && options.apiPort ? options.apiPort : await freePort()] as const,
        ),
      ),
    ) as Record<FunctionName, number>;
    const githubToken = options.github?.token ?? GITHUB_TOKEN;
    const drive = (s: StandIns): Record<string, string> =>
      options.googleAccessToken
        ? { GOOGLE_ACCESS_TOKEN: options.googleAccessToken }
        : { DRIVE_API_ROOT_URL: s.drive.url, GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN };
    const url = (n: FunctionName) => `http://127.0.0.1:${ports[n]}`;
    const launch = async <T extends { stop(): Promise<void> }>(p: Promise<T>) => {
      const value = await p;
      started.push(value);
      return value;
    };
    const [firestore, pubsub, standIns, source] = await Promise.all([
      launch(startEmulator('firestore', project)),
      launch(startEmulator('pubsub', project)),
      launch(
        startStandIns({
          githubToken: GITHUB_TOKEN,
          googleToken: GOOGLE_TOKEN,
          repos: options.repos,
          designs: options.designs,
          driveNotifies: options.driveNotifies ?? false,
          secrets: {
            [SECRETS.githubWebhook]: webhookSecret,
            [SECRETS.adminToken]: adminToken,
            [SECRETS.githubToken]: githubToken,
          },
        }).then((s) => Object.assign(s, { stop: s.close })),
      ),
      stageSource(dir),
    ]);
    const pubsubRest = `http://${pubsub.host}`;
    const subscriptions = await deployTopology({
      rest: pubsubRest,
      project,
      prefix,
      endpoints: { 'sync-worker': `${url('sync-worker')}/`, scheduler: `${url('scheduler')}/` },
      deadLettered: options.deadLettered,
    });
    const deployments = await terraformDeployments({
      'var.project_id': project,
      'var.topic_prefix': prefix,
      'var.log_level': options.logLevel ?? 'info',
      'var.github_api_url': options.github?.apiUrl ?? standIns.github.url,
      'var.github_app_id': '',
      'var.github_oauth_client_id': '',
      'google_firestore_database.main.name': '(default)',
      'local.urls.api': url('status-api'),
      'local.urls.drive_notifications': `${url('drive-notifications')}/drive/notifications`,
      'local.urls.github_webhook': `${url('github-webhook')}/github/webhook`,
    });
    const functions = Object.fromEntries(
      await Promise.all(
        FUNCTION_NAMES.map(async (name) => {
          const fn = await startCloudRunFunction({
            name,
            serviceName: `bridge-${deployments[name].entryPoint}`,
            source,
            port: ports[name],
            ...(options.onLog ? { onLine: (line: string) => options.onLog?.(name, line) } : {}),
            env: {
              ...deployments[name].env,
              // Not Terraform's: where the clients find the emulators and stand-ins instead of Google.
              FIRESTORE_EMULATOR_HOST: firestore.host,
              PUBSUB_EMULATOR_HOST: pubsub.host,
              SECRET_MANAGER_EMULATOR_HOST: standIns.secretManager.endpointOf(name),
              // The access token stands in for the runtime service account's credentials (ADC).
              ...drive(standIns),
              METADATA_SERVER_DETECTION: 'none',
              PATH: process.env.PATH ?? '/usr/bin:/bin',
              // Never the developer's gcloud credentials (~/.config/gcloud).
              HOME: dir,
            },
          });
          started.push({ stop: () => fn.process.stop() });
          return [name, fn] as const;
        }),
      ),
    ) as Record<FunctionName, CloudRunFunction>;
    return {
      project,
      prefix,
      adminToken,
      webhookSecret,
      functions,
      subscriptions,
      emulators: { firestore, pubsub },
      standIns,
      publish: (topic, data, attributes) =>
        publish({ rest: pubsubRest, project, prefix }, topic, data, attributes),
      logs: () =>
        FUNCTION_NAMES.map((n) => `--- ${n}\n${functions[n].process.output().slice(-6000)}`).join('\n'),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
