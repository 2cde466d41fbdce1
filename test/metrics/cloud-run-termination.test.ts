import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/emulators/gcloud-emulators.ts';

const FRAMEWORK_MAIN = join(
  dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')),
  'main.js',
);
const FIXTURE = fileURLToPath(new URL('./fixtures/termination-function.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  // Its own process group: nothing it started outlives the test.
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(-child.pid, 'SIGKILL');
  }
  child = undefined;
});

/**
 * Cloud Run sends SIGTERM and stops the instance 10 s later. The Functions Framework's own SIGTERM
 * listener calls process.exit() at once, so the points counted since the last export (the flush
 * before an answer runs at most once a minute) went nowhere: the edge's flush at SIGTERM now runs
 * before the framework's listener.
 */
describe('a Cloud Run instance told to stop exports its last points first', () => {
  it('the Functions Framework process flushes on SIGTERM, then exits', async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        FRAMEWORK_MAIN,
        '--target=termination-flush',
        '--signature-type=http',
        `--port=${port}`,
        `--source=${FIXTURE}`,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } },
    );
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const post = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
        } catch (err) {
          if (attempt > 200 || child?.exitCode !== null)
            throw new Error(`the function did not start: ${output}`, { cause: err });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    expect((await post()).status).toBe(200); // flushed before this answer: 1 run
    expect(output).toContain('exported sync runs: 1');
    expect((await post()).status).toBe(200); // within the flush gap: not exported
    expect(output).not.toContain('exported sync runs: 2');

    child.kill('SIGTERM');
    const [code] = await exited;
    expect(output).toContain('exported sync runs: 2');
    expect(code).toBe(0);
  }, 30_000);
});
