import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOPICS, topicsConsumedBy } from '../../shared/topology/index.ts';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import { createLink, finished } from './support/bridge-client.ts';
import { startTopology, type Topology } from './support/topology.ts';

/*
 * `npm run dev:gcp`: the Cloud Run topology on this machine — Google's Firestore and Pub/Sub
 * emulators, the five functions each its own Functions Framework process with Terraform's
 * environment, the topology's push subscriptions — until Ctrl-C (SIGINT) or SIGTERM stops it all.
 *
 * Secret Manager has no emulator: a loopback server built from the client's protos holds the secrets.
 * GitHub and Drive: the demo of `npm start` uses a local git repository and a local folder, but the
 * gcp backend refuses file:// links (they would read the server's own disk), so with no credentials
 * loopback GitHub and Drive servers (real wire formats, in memory) stand in and a demo link between
 * them is created and synced. With GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise Server)
 * the functions use that GitHub; with GOOGLE_ACCESS_TOKEN, Google's Drive. State lives in the
 * emulators' memory and is gone when the command stops.
 *
 * It lives beside the end-to-end test because the stand-ins are test doubles: the product (shared/,
 * bin/) knows nothing of them.
 */
const env = process.env;
const DEMO_REPO = 'acme/platform';
const DEMO_DESIGN = 'architecture-design';

const missing = await emulatorsMissing();
if (missing) {
  console.error(`dev:gcp needs Google's Firestore and Pub/Sub emulators: ${missing}.`);
  console.error('Install the Google Cloud CLI with its emulator components and Java, or use `npm start`.');
  process.exit(1);
}

const adminToken = `bat_${randomBytes(24).toString('base64url')}`;
const dataDir = env.BRIDGE_DATA_DIR ?? '.bridge';
const tokenFile = join(dataDir, 'dev-gcp-admin-token');
const github = env.GITHUB_TOKEN
  ? { apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com', token: env.GITHUB_TOKEN }
  : undefined;
const port = Number(env.PORT ?? 8080);

console.log("Starting the Cloud Run topology on Google's emulators...");
let topology: Topology | undefined;
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the functions, the emulators and the stand-ins...`);
  await topology?.close();
  console.log('Stopped.');
  process.exit(signal === 'error' ? 1 : 0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  topology = await startTopology({
    project: 'demo-bridge-dev',
    prefix: 'dev-',
    repos: [DEMO_REPO],
    designs: [DEMO_DESIGN],
    // Messages that keep failing land in sync-requests' dead letters, listed by /api/v1/dead-letters.
    deadLettered: [TOPICS.syncRequests],
    driveNotifies: true,
    logLevel: env.LOG_LEVEL ?? 'info',
    adminToken,
    // Each function's log lines, named, as Cloud Logging would show them.
    onLog: (name, line) => console.log(`[${name}] ${line}`),
    ...(port > 0 ? { apiPort: port } : {}),
    ...(github ? { github } : {}),
    ...(env.GOOGLE_ACCESS_TOKEN ? { googleAccessToken: env.GOOGLE_ACCESS_TOKEN } : {}),
  });
} catch (err) {
  const why = err instanceof Error ? err.message : String(err);
  const hint = /is in use/.test(why) ? ' (set PORT to another port, or PORT=0 for any free one)' : '';
  console.error(`dev:gcp did not start: ${why}${hint}`);
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // a signal arrived during startup: stop() exits

const t = topology;
await mkdir(dataDir, { recursive: true, mode: 0o700 });
await writeFile(tokenFile, `${adminToken}\n`, { mode: 0o600 });
const url = (name: keyof Topology['functions']) => t.functions[name].url;
const pushed = (consumer: 'sync-worker' | 'scheduler') => topicsConsumedBy(consumer).join(', ');
const rows: Array<[string, string]> = [
  ['status-api', `${url('status-api')}  (dashboard at /, API at /api/v1, /healthz)`],
  ['github-webhook', `${url('github-webhook')}/github/webhook`],
  ['drive-notifications', `${url('drive-notifications')}/drive/notifications`],
  ['sync-worker', `${url('sync-worker')}  (pushed: ${pushed('sync-worker')})`],
  ['scheduler', `${url('scheduler')}  (pushed: ${pushed('scheduler')})`],
  ['Firestore emulator', t.emulators.firestore.host],
  ['Pub/Sub emulator', `${t.emulators.pubsub.host}  (project ${t.project}, names prefixed ${t.prefix})`],
  ['Secret Manager', 'loopback gRPC server, one view per function with its grants'],
  ['GitHub', github ? github.apiUrl : `loopback ${t.standIns.github.url}  (repository ${DEMO_REPO})`],
  ['Drive', env.GOOGLE_ACCESS_TOKEN ? "Google's" : `loopback ${t.standIns.drive.url}  (file ${DEMO_DESIGN})`],
];
console.log('');
for (const [name, value] of rows) console.log(`  ${name.padEnd(20)} ${value}`);
console.log('');
console.log(`Admin token for the API and dashboard: in ${tokenFile}`);

if (!github && !env.GOOGLE_ACCESS_TOKEN) {
  try {
    const link = await createLink(t, DEMO_REPO, DEMO_DESIGN);
    const first = await finished(t, link.initialOperationId, 60_000);
    console.log(`Demo link ${link.id}: ${link.repo} ⇄ ${link.design} (first sync ${first.status})`);
  } catch (err) {
    console.error(`The demo link failed: ${err instanceof Error ? err.message : String(err)}`);
    await stop('error');
  }
}
console.log(`Try: BRIDGE_URL=${url('status-api')} BRIDGE_TOKEN=$(cat ${tokenFile}) npx bridge link list`);
console.log('Ready. Ctrl-C stops everything.');
