import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Inherited by every process spawnSession starts, whatever environment it is given: a test that
 * starts `npm run dev:gcp` with it finds whatever that run left behind (see processesOfRun).
 */
export const RUN_MARKER = 'BRIDGE_E2E_RUN';

/** The live processes whose environment carries RUN_MARKER=`run` (Linux /proc; [] without it). */
export function processesOfRun(run: string): number[] {
  const wanted = `${RUN_MARKER}=${run}`;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(wanted);
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
}

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

/** Inodes of the sockets listening on TCP `port` (Linux /proc/net), or undefined without /proc. */
function listeningInodes(port: number): Set<string> | undefined {
  const inodes = new Set<string>();
  let read = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    read = true;
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1] ?? '';
      // local_address is HEXIP:HEXPORT; state 0A is LISTEN; the inode is the tenth field.
      if (fields[3] === '0A' && Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) {
        inodes.add(fields[9] ?? '');
      }
    }
  }
  return read ? inodes : undefined;
}

/**
 * Whether a process of session `sid` listens on TCP `port`: true or false from /proc, undefined
 * where /proc cannot tell. Something else answering on the port (a server another run left there)
 * is not the process just started.
 */
export function sessionListensOn(sid: number, port: number): boolean | undefined {
  const inodes = listeningInodes(port);
  const members = sessionMembers(sid);
  if (!inodes || !members) return undefined;
  if (inodes.size === 0) return false;
  return members.some((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
          return inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '');
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}
