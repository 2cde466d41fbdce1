import { open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../errors/index.ts';

export interface FileLockOptions {
  /** How long to wait for another writer to finish before giving up. */
  timeoutMs?: number;
  /** A lock older than this is reported as stale (its holder probably died). */
  staleMs?: number;
}

interface LockInfo {
  pid?: number;
  host?: string;
  createdAt?: string;
}

/**
 * Runs `fn` while holding `<target>.lock`, created with O_EXCL (`wx`) so only one process (or one
 * caller in this process) holds it; removed in `finally`. A lock left behind by a crashed process is
 * never broken automatically: two processes breaking it at once could both think they own it. It is
 * reported with its holder so a person can remove it.
 */
export async function withFileLock<T>(
  target: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = `${target}.lock`;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const started = Date.now();
  let wait = 2;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(
          JSON.stringify({ pid: process.pid, host: hostname(), createdAt: new Date().toISOString() }),
        );
      } finally {
        await handle.close();
      }
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('not_found', `directory of ${target} does not exist`);
      if (code !== 'EEXIST') throw err;
      if (Date.now() - started >= timeoutMs)
        throw await lockBusyError(target, lockPath, options.staleMs ?? 60_000);
      // The lock is held for one read + one rename; polling with a short backoff is enough.
      await delay(wait);
      wait = Math.min(wait * 2, 50);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockPath).catch(() => {});
  }
}

async function lockBusyError(target: string, lockPath: string, staleMs: number): Promise<AppError> {
  let info: LockInfo = {};
  let ageMs = 0;
  try {
    info = JSON.parse(await readFile(lockPath, 'utf8')) as LockInfo;
    ageMs = Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    // Released (or unreadable) meanwhile: still report busy, the caller retries.
  }
  const holder = `pid ${info.pid ?? 'unknown'} on ${info.host ?? 'unknown host'}`;
  const dead = info.host === hostname() && typeof info.pid === 'number' && !isAlive(info.pid);
  if (dead || ageMs > staleMs) {
    return new AppError(
      'unavailable',
      `stale lock ${lockPath} (held by ${holder} since ${info.createdAt ?? 'unknown'}${dead ? ', no longer running' : ''}): remove it if no bridge process is writing ${target}`,
    );
  }
  return new AppError('unavailable', `${target} is locked by another writer (${holder}); try again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
