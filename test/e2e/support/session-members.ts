import { readdirSync, readFileSync } from 'node:fs';

/**
 * The live processes of session `sid` (Linux /proc), other than `except`; undefined where /proc
 * cannot be read. A session outlives process groups: a member may move to a group of its own (as
 * gcloud's emulator wrapper does), never to another session unless it calls setsid itself.
 */
export function sessionMembers(sid: number, except?: number): number[] | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  return pids.map(Number).filter((pid) => {
    if (pid === except) return false;
    try {
      // The fields after the command name (which may hold spaces): state ppid pgrp session.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , , session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(session) === sid && state !== 'Z';
    } catch {
      return false; // gone meanwhile
    }
  });
}

export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {}
  }
}
