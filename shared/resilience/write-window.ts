export interface WriteWindowOptions {
  /** Most request starts in any `windowMs` (GitHub: 80 content-creating requests per minute). */
  limit?: number;
  windowMs?: number;
  /** Least gap between two starts (GitHub asks for one second between writes; 0 to leave it to Octokit). */
  minSpacingMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface WriteWindowState {
  /** Starts in the current window. */
  used: number;
  limit: number;
  /** Requests waiting for a slot. */
  waiting: number;
  /** ISO time the first waiting request may start. */
  waitingUntil?: string;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref?.());

/**
 * A sliding-window limiter: at most `limit` starts in any window of `windowMs`, at least
 * `minSpacingMs` apart, first come first served. Unlike a token bucket refilled at limit/window, it
 * never lets a burst plus the refill exceed the limit inside one window.
 */
export class WriteWindow {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly minSpacingMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private waiting = 0;
  private waitingUntil: number | undefined;

  constructor(options: WriteWindowOptions = {}) {
    this.limit = Math.max(1, options.limit ?? 80);
    this.windowMs = options.windowMs ?? 60_000;
    this.minSpacingMs = options.minSpacingMs ?? 0;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Resolves when the caller may start its request (the start is counted then). */
  acquire(): Promise<void> {
    this.waiting += 1;
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => {});
    return turn;
  }

  state(): WriteWindowState {
    this.trim(this.now());
    return {
      used: this.starts.length,
      limit: this.limit,
      waiting: this.waiting,
      ...(this.waitingUntil !== undefined && this.waiting > 0
        ? { waitingUntil: new Date(this.waitingUntil).toISOString() }
        : {}),
    };
  }

  private async take(): Promise<void> {
    try {
      for (;;) {
        const now = this.now();
        this.trim(now);
        const earliest = this.earliestStart(now);
        if (earliest <= now) {
          this.starts.push(now);
          return;
        }
        this.waitingUntil = earliest;
        await this.sleep(earliest - now);
      }
    } finally {
      this.waiting -= 1;
      this.waitingUntil = undefined;
    }
  }

  private earliestStart(now: number): number {
    let at = now;
    const last = this.starts.at(-1);
    if (last !== undefined) at = Math.max(at, last + this.minSpacingMs);
    if (this.starts.length >= this.limit) {
      at = Math.max(at, this.starts[this.starts.length - this.limit]! + this.windowMs);
    }
    return at;
  }

  private trim(now: number): void {
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < this.starts.length && this.starts[drop]! <= from) drop += 1;
    if (drop > 0) this.starts = this.starts.slice(drop);
  }
}
