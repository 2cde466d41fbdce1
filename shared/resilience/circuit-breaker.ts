import { AppError } from '../errors/index.ts';
import { isTransientFailure, retryAfterSeconds } from './transient-failure.ts';

export type CircuitPhase = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** What the circuit protects, e.g. `github:api.github.com` (shown in errors and health). */
  name: string;
  /** Consecutive transient failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long an open circuit rejects calls before letting one trial through (default 30 s). */
  cooldownMs?: number;
  /** An open circuit waits at least this long, even when the host asked for longer (default 10 min). */
  maxCooldownMs?: number;
  now?: () => number;
}

export interface CircuitState {
  name: string;
  phase: CircuitPhase;
  consecutiveFailures: number;
  /** ISO time until which calls are rejected (open), or when the trial was allowed (half-open). */
  openUntil?: string;
  lastFailure?: string;
  /** Calls rejected without reaching the host since the circuit last opened. */
  rejected: number;
}

/**
 * Closed → open after `failureThreshold` consecutive transient failures; open rejects at once with
 * AppError `unavailable` and a `retry-after`; after the cool-down one call goes through (half-open)
 * and its outcome closes or reopens the circuit. A host that asked us to wait (`retry-after` on a
 * rate limit) keeps the circuit open at least that long.
 */
export class CircuitBreaker {
  readonly name: string;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly maxCooldownMs: number;
  private readonly now: () => number;
  private phase: CircuitPhase = 'closed';
  private failures = 0;
  private openUntil = 0;
  private trialRunning = false;
  private lastFailure: string | undefined;
  private rejected = 0;

  constructor(options: CircuitBreakerOptions) {
    this.name = options.name;
    this.threshold = Math.max(1, options.failureThreshold ?? 5);
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.maxCooldownMs = Math.max(this.cooldownMs, options.maxCooldownMs ?? 600_000);
    this.now = options.now ?? Date.now;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const trial = this.admit();
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      this.record(err, trial);
      throw err;
    }
    this.succeed();
    return result;
  }

  state(): CircuitState {
    this.admitPhase();
    return {
      name: this.name,
      phase: this.phase,
      consecutiveFailures: this.failures,
      ...(this.phase === 'closed' ? {} : { openUntil: new Date(this.openUntil).toISOString() }),
      ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}),
      rejected: this.rejected,
    };
  }

  /** Open → half-open once the cool-down has passed. */
  private admitPhase(): void {
    if (this.phase === 'open' && this.now() >= this.openUntil) this.phase = 'half-open';
  }

  /** Throws when the call may not go through; returns whether it is the half-open trial. */
  private admit(): boolean {
    this.admitPhase();
    if (this.phase === 'closed') return false;
    if (this.phase === 'half-open' && !this.trialRunning) {
      this.trialRunning = true;
      return true;
    }
    this.rejected += 1;
    const waitMs = Math.max(this.openUntil - this.now(), 1_000);
    throw new AppError(
      'unavailable',
      `${this.name} is failing (${this.lastFailure ?? 'repeated errors'}); not calling it until ${new Date(Math.max(this.openUntil, this.now())).toISOString()}`,
      {
        headers: { 'retry-after': String(Math.ceil(waitMs / 1000)) },
        details: { circuit: this.name, phase: this.phase },
      },
    );
  }

  private succeed(): void {
    this.phase = 'closed';
    this.failures = 0;
    this.trialRunning = false;
    this.rejected = 0;
  }

  private record(err: unknown, trial: boolean): void {
    if (!isTransientFailure(err)) {
      this.succeed(); // the host answered: it is up, the request was the problem
      return;
    }
    this.failures += 1;
    this.lastFailure = describe(err);
    if (trial) this.trialRunning = false;
    if (trial || this.failures >= this.threshold) {
      const askedMs = (retryAfterSeconds(err) ?? 0) * 1000;
      const waitMs = Math.min(Math.max(this.cooldownMs, askedMs), this.maxCooldownMs);
      this.phase = 'open';
      this.openUntil = this.now() + waitMs;
      this.rejected = 0;
    }
  }
}

function describe(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  const status = (err as { status?: unknown })?.status;
  return typeof code === 'string'
    ? `${code}${typeof status === 'number' ? ` ${status}` : ''}`
    : 'network error';
}
