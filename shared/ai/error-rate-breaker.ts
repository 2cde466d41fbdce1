import { AppError } from '../errors/index.ts';

const MAX_HOLD_MS = 600_000;

export interface ErrorRateBreakerOptions {
  name: string;
  /** Failure rate (0..1) over the window that opens the circuit (default 0.5). */
  failureRate?: number;
  /** Fewest calls in the window before the rate counts (default 5). */
  minRequests?: number;
  /** How far back outcomes count (default 60 s). */
  windowMs?: number;
  /** How long an open circuit rejects before one trial call (default 30 s). */
  cooldownMs?: number;
  now?: () => number;
}

export interface ErrorRateState {
  phase: 'closed' | 'open' | 'half-open';
  failureRate: number;
  requests: number;
  openUntil?: string;
}

/**
 * Closed → open when at least `minRequests` calls in the last `windowMs` failed at `failureRate`
 * or more; open rejects for `cooldownMs`; then one trial call (half-open) closes or reopens it.
 * shared/resilience's CircuitBreaker counts consecutive failures and rejects by throwing; here the
 * router needs an error rate and a non-throwing "may I call" to skip to the next provider.
 */
export class ErrorRateBreaker {
  readonly name: string;
  private readonly rate: number;
  private readonly minRequests: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private outcomes: Array<{ at: number; failed: boolean }> = [];
  private phase: 'closed' | 'open' | 'half-open' = 'closed';
  private openUntil = 0;
  private trialRunning = false;

  constructor(options: ErrorRateBreakerOptions) {
    this.name = options.name;
    this.rate = options.failureRate ?? 0.5;
    this.minRequests = Math.max(1, options.minRequests ?? 5);
    this.windowMs = options.windowMs ?? 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether a call may go now; in half-open, only one (the trial) until it reports. */
  tryAcquire(): boolean {
    this.advance();
    if (this.phase === 'closed') return true;
    if (this.phase === 'half-open' && !this.trialRunning) {
      this.trialRunning = true;
      return true;
    }
    return false;
  }

  /** Milliseconds until an open circuit lets a trial through (0 when it would now). */
  retryInMs(): number {
    return Math.max(0, this.openUntil - this.now());
  }

  /**
   * One call's outcome. `holdMs`: the provider asked us to wait this long (a 429's `retry-after`);
   * beyond the cool-down, that opens the circuit at once for that long (at most 10 minutes).
   */
  record(failed: boolean, holdMs = 0): void {
    const at = this.now();
    if (failed && holdMs > this.cooldownMs && this.phase !== 'open') {
      this.trialRunning = false;
      this.open(at, Math.min(holdMs, MAX_HOLD_MS));
      return;
    }
    if (this.phase === 'half-open') {
      this.trialRunning = false;
      if (failed) this.open(at);
      else {
        this.phase = 'closed';
        this.outcomes = [];
      }
      return;
    }
    this.outcomes.push({ at, failed });
    this.prune(at);
    const { rate, requests } = this.window();
    // Only a failure opens it: a success never makes things worse.
    if (failed && this.phase === 'closed' && requests >= this.minRequests && rate >= this.rate) this.open(at);
  }

  /** Releases a trial that never reached the provider (the request was cancelled before it). */
  release(): void {
    this.trialRunning = false;
  }

  state(): ErrorRateState {
    this.advance();
    this.prune(this.now());
    const { rate, requests } = this.window();
    return {
      phase: this.phase,
      failureRate: Math.round(rate * 1000) / 1000,
      requests,
      ...(this.phase === 'closed' ? {} : { openUntil: new Date(this.openUntil).toISOString() }),
    };
  }

  /** The AppError a caller gets when no circuit lets it through. */
  static allOpen(breakers: readonly ErrorRateBreaker[]): AppError {
    const waitMs = Math.min(...breakers.map((b) => b.retryInMs()));
    return new AppError(
      'unavailable',
      `Every AI provider is failing (${breakers.map((b) => b.name).join(', ')})`,
      {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
        details: { providers: breakers.map((b) => b.name) },
      },
    );
  }

  private open(at: number, forMs = this.cooldownMs): void {
    this.phase = 'open';
    this.openUntil = at + forMs;
    this.outcomes = [];
  }

  private advance(): void {
    if (this.phase === 'open' && this.now() >= this.openUntil) this.phase = 'half-open';
  }

  private prune(at: number): void {
    const since = at - this.windowMs;
    while (this.outcomes.length > 0 && (this.outcomes[0]?.at ?? 0) < since) this.outcomes.shift();
  }

  private window(): { rate: number; requests: number } {
    const requests = this.outcomes.length;
    const failures = this.outcomes.filter((o) => o.failed).length;
    return { rate: requests === 0 ? 0 : failures / requests, requests };
  }
}
