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
    const waiting = new Set<() => void>();
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const check of waiting) check();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    // 'close': every byte of its output has arrived ('exit' may come before the pipes are drained).
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    /** Resolves once the output shows `text` (stdout and the HTTP answer travel apart). */
    const shows = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no "${text}" within 10 s in: ${output}`)), 10_000);
        const check = () => {
          if (output.includes(text)) done();
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          waiting.delete(check);
          if (err) reject(err);
          else resolve();
        };
        waiting.add(check);
        check();
      });
    const post = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await fetch(`http://127.0.0.1:${port}/`, { method: 'POST' });
        } catch (err) {
          if (attempt > 200 || child?.exitCode !== null) {
            throw new Error(`the function did not start: ${output}`, { cause: err });
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    expect((await post()).status).toBe(200); // flushed before this answer: 1 run
    await shows('exported sync runs: 1');
    expect((await post()).status).toBe(200); // within the flush gap: not exported

    child.kill('SIGTERM');
    const [code] = await closed;
    expect(output).toContain('exported sync runs: 2');
    expect(output.match(/exported sync runs/g)).toHaveLength(2);
    expect(code).toBe(0);
  }, 30_000);

  it('a second SIGTERM while the export runs neither kills the process nor runs the exit twice', async () => {
    const hook = new URL('../../shared/edge/before-termination.ts', import.meta.url).href;
    const script = `
      process.on('SIGTERM', () => { console.log('framework exit'); process.exit(0); });
      const { beforeTermination } = await import(${JSON.stringify(hook)});
      beforeTermination(() => new Promise((resolve) => { console.log('flushing'); setTimeout(() => { console.log('flushed'); resolve(); }, 300); }));
      console.log('ready');
      setInterval(() => {}, 1000);`;
    child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => output.includes(text) && resolve();
        child?.stdout?.on('data', check);
        check();
      });
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    await seen('ready');
    child.kill('SIGTERM');
    await seen('flushing'); // the second signal comes while the export runs
    child.kill('SIGTERM');
    const [code, signal] = await closed;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output.split('\n').filter(Boolean)).toEqual(['ready', 'flushing', 'flushed', 'framework exit']);
  }, 30_000);
});
