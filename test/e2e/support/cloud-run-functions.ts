import { execFile } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FunctionName } from '../../../shared/topology/index.ts';
import { type SessionProcess, spawnSession } from '../../support/processes/process-session.ts';
import { sessionListensOn } from '../../support/processes/session-members.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The framework's `functions-framework` binary (bin in its package.json), next to its entry point. */
const FRAMEWORK_MAIN = join(
  dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')),
  'main.js',
);

/**
 * The source Cloud Run builds, staged by terraform/scripts/package-source.sh (package.json, the lock
 * file, functions/, shared/ and the root index.js that registers every function). The buildpack
 * installs production dependencies into it; here the project's node_modules stands in for them.
 */
export async function stageSource(dir: string): Promise<string> {
  const source = join(dir, 'source');
  await promisify(execFile)('bash', [join(ROOT, 'terraform/scripts/package-source.sh'), source]);
  await symlink(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  return source;
}

/** Whether something accepts connections on 127.0.0.1:port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Resolves once `proc` listens on `port` (its own socket, per /proc, where it can tell: not a server
 * someone else left on the port); rejects if it exits first. The framework logs nothing when
 * NODE_ENV=production (as on Cloud Run), so the socket is the signal, checked every 25 ms.
 */
async function listening(port: number, proc: SessionProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (sessionListensOn(proc.sid, port) ?? (await accepts(port))) return;
    if (exited) throw new Error(`${proc.name} exited before it listened:\n${proc.output().slice(-4000)}`);
    if (Date.now() > deadline)
      throw new Error(`${proc.name} did not listen within ${timeoutMs} ms:\n${proc.output().slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface CloudRunFunction {
  name: FunctionName;
  url: string;
  process: SessionProcess;
}

/**
 * Starts one function the way Cloud Run runs the image the Node.js buildpack builds:
 * `functions-framework --target=<entry point> --signature-type=http` in the source directory, on the
 * project's Node (24; the machine's `functions-framework` binary would run on its own Node), with
 * PORT, K_SERVICE and NODE_ENV=production as Cloud Run and the buildpack set them, plus `env`.
 */
export async function startCloudRunFunction(options: {
  name: FunctionName;
  serviceName: string;
  source: string;
  port: number;
  env: Record<string, string>;
  onLine?: (line: string) => void;
}): Promise<CloudRunFunction> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24)
    throw new Error(
      `functions need Node 24 (run through npm, which puts node_modules/.bin first); this is ${process.version}`,
    );
  const { name, port } = options;
  if (await accepts(port)) throw new Error(`port ${port} for ${name} is in use`);
  const proc = spawnSession(
    name,
    process.execPath,
    [
      FRAMEWORK_MAIN,
      `--target=${name}`,
      '--signature-type=http',
      `--port=${port}`,
      `--source=${options.source}`,
    ],
    {
      cwd: options.source,
      env: {
        ...options.env,
        NODE_ENV: 'production',
        PORT: String(port),
        K_SERVICE: options.serviceName,
        K_REVISION: `${options.serviceName}-00001-e2e`,
        K_CONFIGURATION: options.serviceName,
      },
      ...(options.onLine ? { onLine: options.onLine } : {}),
    },
  );
  await listening(port, proc, 30_000);
  return { name, url: `http://127.0.0.1:${port}`, process: proc };
}
