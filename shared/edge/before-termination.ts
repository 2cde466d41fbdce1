/** Cloud Run sends SIGTERM, then SIGKILL 10 s later: the work before exit gets most of that. */
export const TERMINATION_WAIT_MS = 8_000;

let tasks: Array<() => Promise<unknown>> | undefined;

/**
 * Runs `task` when the instance is told to stop (SIGTERM), before the process exits. The Functions
 * Framework listens for SIGTERM itself and exits at once (process.exit), which would cut off any
 * asynchronous work of another listener, such as the last metrics export: so the listeners already
 * registered are taken off and called after the tasks settled (or `waitMs` passed); with none, the
 * signal is raised again for its default action. A second SIGTERM meanwhile changes nothing.
 * Listeners registered later than the first call are not held back (the framework registers its
 * own at start, before any request).
 */
export function beforeTermination(task: () => Promise<unknown>, waitMs = TERMINATION_WAIT_MS): void {
  if (tasks) {
    tasks.push(task);
    return;
  }
  const queued = [task];
  tasks = queued;
  const others = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  let stopping = false;
  process.on('SIGTERM', (signal) => {
    if (stopping) return;
    stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    void Promise.race([Promise.allSettled(queued.map(async (t) => t())), waited]).then(() => {
      clearTimeout(timer);
      if (others.length === 0) {
        process.removeAllListeners('SIGTERM');
        process.kill(process.pid, signal);
        return;
      }
      for (const listener of others) {
        try {
          listener(signal);
        } catch {
          // One listener failing must not keep the others (the framework's exit) from running.
        }
      }
    });
  });
}
