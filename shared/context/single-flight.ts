/**
 * One in-flight call per key: callers asking while a call for their key runs get its promise
 * instead of starting another (a single-use refresh token must be used once).
 */
export class SingleFlight {
  private readonly inflight = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const call = fn().finally(() => this.inflight.delete(key));
    this.inflight.set(key, call);
    return call;
  }
}
