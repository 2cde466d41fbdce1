import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type SessionProcess, spawnSession } from '../processes/process-session.ts';

const run = promisify(execFile);

/**
 * Why Google's Firestore and Pub/Sub emulators cannot run here, or undefined when they can: `gcloud`
 * on PATH with both emulator components, and Java (machines built from the Debian 12 image have
 * them, those built from the Debian 13 image do not).
 */
export async function emulatorsMissing(): Promise<string | undefined> {
  let root: string;
  try {
    const info = await run('gcloud', ['info', '--format=value(installation.sdk_root)'], { timeout: 30_000 });
    root = info.stdout.trim();
  } catch {
    return 'gcloud is not on PATH';
  }
  for (const component of ['cloud-firestore-emulator', 'pubsub-emulator']) {
    if (!existsSync(join(root, 'platform', component)))
      return `the gcloud ${component} component is not installed`;
  }
  try {
    await run('java', ['-version'], { timeout: 30_000 });
  } catch {
    return 'java (needed by the emulators) is not on PATH';
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Emulator {
  /** host:port, as FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST take it. */
  host: string;
  process: SessionProcess;
  stop(): Promise<void>;
}

const STARTUP_MS = 90_000;

/** What each emulator prints once it serves requests. */
const KINDS = {
  firestore: { args: ['emulators', 'firestore', 'start'], ready: /Dev App Server is now running/ },
  pubsub: { args: ['beta', 'emulators', 'pubsub', 'start'], ready: /Server started, listening on/ },
} as const;

/**
 * Starts one emulator in a process group of its own (see process-session.ts) on 127.0.0.1 and a free
 * port, and resolves once it says it listens. A port taken between choosing and binding makes the
 * emulator exit; it is tried again on another port.
 */
export async function startEmulator(
  kind: keyof typeof KINDS,
  project: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Emulator> {
  for (let attempt = 1; ; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const args = [...KINDS[kind].args, `--host-port=${host}`, `--project=${project}`];
    const proc = spawnSession(`${kind} emulator`, 'gcloud', args, { env });
    try {
      await proc.waitFor(KINDS[kind].ready, STARTUP_MS);
      return { host, process: proc, stop: () => proc.stop() };
    } catch (err) {
      await proc.stop();
      if (attempt >= 3 || !/BindException|Address already in use/.test(proc.output())) throw err;
    }
  }
}
