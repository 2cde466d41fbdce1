/**
 * Resolves with the time (performance.now()) at which `check` first returned true, checking every
 * millisecond. Used to see the moment an in-process loopback server applies a write; a timer (not a
 * busy loop) keeps the event loop free for the bridge that does the work.
 */
export function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve(performance.now());
      if (performance.now() > deadline) return reject(new Error(`timed out after ${timeoutMs} ms: ${what}`));
      setTimeout(tick, 1);
    };
    tick();
  });
}
