/**
 * Signal 0 checks that a process exists without touching it; EPERM means it exists as another user.
 * A PID is no identity: a killed process still answers while it is an unreaped zombie, and a new
 * process may be given the same PID. Only for holders from before InstanceRegistry's locks.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
