import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export type Child = ChildProcessByStdio<null, Readable, Readable>;

const BUS_CHILD = fileURLToPath(new URL('./fixtures/bus-child.ts', import.meta.url));

/** Starts the fixture with the Node running the tests (Node 24: it runs .ts by stripping types). */
export function spawnBusChild(file: string, mode: 'hang' | 'publish'): Child {
  return spawn(process.execPath, [BUS_CHILD, file, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The fixture under a parent that never reaps its children (a shell that execs `sleep`), in its own
 * process group: once killed, the fixture stays a zombie, so its PID still answers signal 0.
 * Stop it with `killGroup`.
 */
export function spawnUnreapedBusChild(file: string, mode: 'hang' | 'publish'): Child {
  const node = JSON.stringify(process.execPath);
  const command = `${node} ${JSON.stringify(BUS_CHILD)} ${JSON.stringify(file)} ${mode} & exec sleep 600`;
  return spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/** SIGKILLs the whole process group the child leads (its own children included). */
export async function killGroup(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid, 'SIGKILL');
  await exited;
}

/** Linux: the process state letter from /proc (`Z` for a zombie); undefined where there is no /proc. */
export function processState(pid: number): string | undefined {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** The child's next JSON line on stdout; fails with its stderr if it exits first or takes too long. */
export function nextEvent(child: Child, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`child said nothing in ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    const onExit = (code: number | null) => finish(new Error(`child exited (${code}) early: ${stderr}`));
    const finish = (err: Error | undefined, event?: Record<string, unknown>) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      if (err) reject(err);
      else resolve(event!);
    };
    lines.once('line', (line) => finish(undefined, JSON.parse(line) as Record<string, unknown>));
    child.once('exit', onExit);
  });
}

/** SIGKILL: the process gets no chance to ack, release a lease or close the database. */
export async function crash(child: Child): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
