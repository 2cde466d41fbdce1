import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RUN_MARKER, sessionMembers, signalAll } from './session-members.ts';

const REAPER = fileURLToPath(new URL('./reaper.ts', import.meta.url));
const OUTPUT_LIMIT = 200_000;

export interface SessionProcess {
  name: string;
  /** The session id: the reaper's pid (see reaper.ts). */
  sid: number;
  /** What the process wrote so far (stdout and stderr, interleaved; the newest 200 kB). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects when the process exits or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  /** Ends every process of the session and resolves once they are gone. */
  stop(): Promise<void>;
}

const live = new Set<SessionProcess>();

// The test process ending without stopping them: each reaper ends its session (it would also
// notice its stdin closing, see reaper.ts).
process.once('exit', () => {
  signalAll(
    [...live].map((p) => p.sid),
    'SIGTERM',
  );
});

export interface SpawnOptions {
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Called with each complete line the process writes. */
  onLine?: (line: string) => void;
}

/**
 * Starts `command` in a session of its own under a reaper (see reaper.ts), so that stop() — or the
 * test process going away — ends the command and everything it started.
 */
export function spawnSession(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): SessionProcess {
  const child: ChildProcess = spawn(process.execPath, [REAPER, command, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...options.env, ...(process.env[RUN_MARKER] ? { [RUN_MARKER]: process.env[RUN_MARKER] } : {}) },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const sid = child.pid;
  let text = '';
  const listeners = new Set<() => void>();
  let partial = '';
  const append = (chunk: Buffer) => {
    const piece = chunk.toString('utf8');
    text = (text + piece).slice(-OUTPUT_LIMIT);
    if (options.onLine) {
      const lines = (partial + piece).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    }
    for (const l of listeners) l();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let gone = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      gone = true;
      for (const l of listeners) l();
      resolve(code);
    }),
  );

  const proc: SessionProcess = {
    name,
    sid,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          listeners.delete(check);
          clearTimeout(timer);
          fn();
        };
        const check = () => {
          const match = pattern.exec(text);
          if (match) done(() => resolve(match));
          else if (gone)
            done(() => reject(new Error(`${name} exited before printing ${pattern}:\n${text.slice(-4000)}`)));
        };
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${text.slice(-4000)}`),
              ),
            ),
          timeoutMs,
        );
        listeners.add(check);
        check();
      });
    },
    async stop() {
      live.delete(proc);
      if (!gone) signalAll([sid], 'SIGTERM');
      // The reaper gives its session 5 s before SIGKILL; should it hang, the session is killed here.
      const killed = setTimeout(() => signalAll([sid, ...(sessionMembers(sid) ?? [])], 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
      child.stdin?.destroy();
    },
  };
  live.add(proc);
  return proc;
}
