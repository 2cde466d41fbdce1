import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Why Google's Pub/Sub emulator cannot run here, or undefined when it can: it needs `gcloud` on PATH
 * with the pubsub-emulator component, and Java (machines built from the Debian 12 image have them,
 * those built from the Debian 13 image do not).
 */
export async function pubsubEmulatorMissing(): Promise<string | undefined> {
  let root: string;
  try {
    root = (
      await run('gcloud', ['info', '--format=value(installation.sdk_root)'], { timeout: 30_000 })
    ).stdout.trim();
  } catch {
    return 'gcloud is not on PATH';
  }
  if (!existsSync(join(root, 'platform', 'pubsub-emulator')))
    return 'the gcloud pubsub-emulator component is not installed';
  try {
    await run('java', ['-version'], { timeout: 30_000 });
  } catch {
    return 'java (needed by the Pub/Sub emulator) is not on PATH';
  }
  return undefined;
}

export interface PubSubEmulator {
  /** host:port, as PUBSUB_EMULATOR_HOST takes it. */
  host: string;
  /** REST base of the project: `http://host/v1/projects/P`. */
  rest: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `gcloud beta emulators pubsub start` in a process group of its own and resolves once it
 * answers HTTP. gcloud is a Python wrapper around a Java server: stop() ends the whole group, since
 * ending the wrapper alone leaves the Java process listening.
 */
export async function startPubSubEmulator(project: string): Promise<PubSubEmulator> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const child = spawn(
    'gcloud',
    ['beta', 'emulators', 'pubsub', 'start', `--host-port=${host}`, `--project=${project}`],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      resolve();
    }),
  );
  // The emulator says when it listens; waiting for that line is waiting on the event itself.
  const started = new Promise<void>((resolve, reject) => {
    const seen = (b: Buffer) => {
      output += b.toString();
      if (output.includes('Server started, listening on')) resolve();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    void exited.then(() => reject(new Error(`the Pub/Sub emulator exited before it listened:\n${output}`)));
  });
  const stop = async () => {
    if (gone || child.pid === undefined) return;
    process.kill(-child.pid, 'SIGTERM');
    const pid = child.pid;
    const killed = setTimeout(() => !gone && process.kill(-pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(killed);
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the Pub/Sub emulator did not listen within 60 s:\n${output}`)),
      60_000,
    );
  });
  try {
    await Promise.race([started, timeout]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return { host, rest: `http://${host}/v1/projects/${project}`, stop };
}
