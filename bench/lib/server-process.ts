import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage } from '../servers/serve-ipc.ts';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Waits until the server has nothing left to do (its bus drained). */
  idle(): Promise<void>;
  /** Peak resident set size of the server process so far, in bytes. */
  maxRssBytes(): Promise<number>;
  /** CPU time the server process has used so far (all its threads, user + system), in µs. */
  cpuMicros(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Forks one of `bench/servers/*.ts` with the same Node binary. The server under test runs in its own
 * process (its own event loop and core) so the load generator never competes with it for the loop.
 */
export async function startServerProcess(
  script:
    | 'bridge-server.ts'
    | 'bridge-ingress-server.ts'
    | 'octokit-server.ts'
    | 'octokit-same-work-server.ts'
    | 'durable-floor-server.ts',
  env: Record<string, string>,
  /** Names the process in messages when one script runs twice (with different env). */
  label: string = script,
): Promise<ServerProcess> {
  const path = fileURLToPath(new URL(`../servers/${script}`, import.meta.url));
  // BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each server there when it exits (node --cpu-prof).
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const child: ChildProcess = fork(path, [], {
    env: { ...process.env, ...env },
    execPath: process.execPath,
    execArgv: [...process.execArgv, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, (m: ChildMessage & { type: 'reply' }) => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message.url);
      else if (message.type === 'failed') reject(new Error(`${label} failed to start: ${message.message}`));
      else pending.get(message.id)?.(message);
    });
  });
  const ask = (type: ParentMessage['type']) =>
    new Promise<ChildMessage & { type: 'reply' }>((resolve) => {
      const id = nextId++;
      pending.set(id, (m) => {
        pending.delete(id);
        resolve(m);
      });
      child.send({ id, type } satisfies ParentMessage);
    });
  return {
    url,
    pid: child.pid ?? 0,
    idle: async () => {
      await ask('idle');
    },
    maxRssBytes: async () => (await ask('stats')).maxRssBytes ?? 0,
    cpuMicros: async () => (await ask('stats')).cpuMicros ?? 0,
    close: async () => {
      if (child.exitCode === null) {
        await Promise.race([ask('close'), exited]);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
