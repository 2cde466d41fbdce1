import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether something still holds `port` (a listen on it fails with EADDRINUSE). */
async function portInUse(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(true));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(false)));
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  let dataDir: string | undefined;
  let pgid: number | undefined;
  afterEach(async () => {
    // Whatever the outcome, nothing of this test keeps running.
    if (pgid !== undefined && groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    pgid = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stops the server when the npm process gets SIGTERM (the port is free once npm has exited)', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'bridge-npm-start-'));
    const port = await freePort();
    // Its own process group, so cleanup can reach node even if npm left it behind.
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        BRIDGE_DATA_DIR: dataDir,
        PORT: String(port),
        BRIDGE_DEMO: 'false',
        LOG_LEVEL: 'info',
      },
    });
    pgid = child.pid;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit');
    const lines = createInterface({ input: child.stdout });
    const listening = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.includes('"bridge listening"')) resolve();
      });
      void exited.then(() => reject(new Error(`npm start exited before listening: ${stderr}`)));
    });
    await listening;
    expect(await portInUse(port)).toBe(true);

    child.kill('SIGTERM');
    const [code, signal] = await exited;
    // npm waits for its script's process: when that is the server itself, npm exits after it.
    expect(await portInUse(port), 'the server still listens after npm exited').toBe(false);
    expect(groupAlive(child.pid as number), 'a process of npm start is still running').toBe(false);
    expect({ code, signal }).not.toEqual({ code: null, signal: 'SIGKILL' });
  }, 40_000);
});
