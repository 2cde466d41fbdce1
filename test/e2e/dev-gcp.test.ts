import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorsMissing } from '../support/emulators/gcloud-emulators.ts';
import { processesOfRun, RUN_MARKER, signalAll } from '../support/processes/session-members.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const missing = await emulatorsMissing();
if (missing) console.warn(`npm run dev:gcp test skipped: ${missing}`);

describe.skipIf(missing !== undefined)(`npm run dev:gcp${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let run: string | undefined;
  let dataDir: string | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    // Whatever the outcome, nothing of this run keeps running.
    if (child?.pid !== undefined && child.exitCode === null) signalAll([child.pid], 'SIGKILL');
    if (run) signalAll(processesOfRun(run), 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the emulators and the five functions, answers /healthz at the status-api URL it prints, and leaves no process behind after SIGTERM', async () => {
    run = randomUUID();
    dataDir = await mkdtemp(join(tmpdir(), 'bridge-dev-gcp-'));
    child = spawn('npm', ['run', '--silent', 'dev:gcp'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Every process the run starts inherits the marker, so what it leaves behind can be found.
      env: { ...process.env, PORT: '0', BRIDGE_DATA_DIR: dataDir, [RUN_MARKER]: run },
    });
    let output = '';
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const ready = new Promise<void>((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Ready. Ctrl-C stops everything.')) resolve();
      };
      child?.stdout?.on('data', seen);
      child?.stderr?.on('data', seen);
      void exited.then(() => reject(new Error(`dev:gcp exited before it was ready:\n${output}`)));
    });
    await ready;

    const api = /^\s+status-api\s+(http:\/\/127\.0\.0\.1:\d+)/m.exec(output)?.[1];
    expect(api, output).toBeDefined();
    for (const name of ['github-webhook', 'drive-notifications', 'sync-worker', 'scheduler']) {
      expect(output).toMatch(new RegExp(`^\\s+${name}\\s+http://127\\.0\\.0\\.1:\\d+`, 'm'));
    }
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    const token = (await readFile(join(dataDir, 'dev-gcp-admin-token'), 'utf8')).trim();
    expect(output).not.toContain(token);
    const links = await fetch(`${api}/api/v1/links`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await links.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(processesOfRun(run).length).toBeGreaterThan(5);

    // As `kill` (or the terminal's Ctrl-C) reaches the npm process.
    child.kill('SIGTERM');
    await exited;
    expect(output).toContain('Stopped.');
    expect(processesOfRun(run)).toEqual([]);
  }, 180_000);
});
