import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import type { RateLimitHeadroom } from './paced-fetch.ts';
import { WriteWindow, type WriteWindowState } from './write-window.ts';

export interface ResilienceSettings {
  /** Consecutive transient failures that open a host's circuit. */
  failureThreshold: number;
  /** How long an open circuit waits before one trial call. */
  cooldownMs: number;
  /** Deadline of one provider call (its retries included). */
  callDeadlineMs: number;
  /** Timeout of one HTTP request to GitHub (Octokit has none; Drive's client has its own 30 s). */
  requestTimeoutMs: number;
  /** GitHub's secondary limit: content-creating requests per minute per installation. */
  githubWritesPerMinute: number;
  /** Octokit retry/throttling knobs (GithubTuning); tests shorten the waits. */
  githubTuning: Record<string, number>;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  failureThreshold: 5,
  cooldownMs: 30_000,
  callDeadlineMs: 120_000,
  requestTimeoutMs: 30_000,
  githubWritesPerMinute: 80,
  githubTuning: {},
  now: Date.now,
};

export interface WritePacingState extends WriteWindowState {
  key: string;
}

export interface ResilienceStatus {
  /** One per provider host the process has called. */
  circuits: CircuitState[];
  /** Content-creating request pacing per GitHub installation. */
  writePacing: WritePacingState[];
  /** Primary rate-limit headroom per GitHub installation and resource, as last reported. */
  rateLimits: Array<RateLimitHeadroom & { key: string }>;
  /** Human-readable: what the bridge is waiting for right now (empty when nothing). */
  waitingFor: string[];
}

/** Circuit breakers and write windows of one process (one per context, so tests stay independent). */
export class ResilienceKit {
  readonly settings: ResilienceSettings;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly windows = new Map<string, WriteWindow>();
  private readonly headroom = new Map<string, RateLimitHeadroom & { key: string }>();
  /** What each key's circuit, pacing and headroom serve: repositories and designs (see noteScope). */
  private readonly scopes = new Map<string, Set<string>>();

  constructor(settings: Partial<ResilienceSettings> = {}) {
    this.settings = { ...DEFAULT_RESILIENCE, ...settings };
  }

  /** The circuit of one provider host, e.g. `github:api.github.com`, `drive:www.googleapis.com`. */
  breaker(name: string): CircuitBreaker {
    let breaker = this.breakers.get(name);
    if (!breaker) {
      breaker = new CircuitBreaker({
        name,
        failureThreshold: this.settings.failureThreshold,
        cooldownMs: this.settings.cooldownMs,
        now: this.settings.now,
      });
      this.breakers.set(name, breaker);
    }
    return breaker;
  }

  /** The write window of one GitHub installation (or token), shared by every repository under it. */
  writeWindow(key: string): WriteWindow {
    let window = this.windows.get(key);
    if (!window) {
      window = new WriteWindow({
        limit: this.settings.githubWritesPerMinute,
        windowMs: 60_000,
        now: this.settings.now,
        ...(this.settings.sleep ? { sleep: this.settings.sleep } : {}),
      });
      this.windows.set(key, window);
    }
    return window;
  }

  /** Records what a response said of the rate limit of `key` (an installation). */
  noteRateLimit(key: string, headroom: RateLimitHeadroom): void {
    this.headroom.set(`${key} ${headroom.resource}`, { key, ...headroom });
  }

  /**
   * Records that `key` (a breaker, write window or headroom key) serves `scope` (repoScope,
   * designScope), so a tenant can be shown only what serves its own links.
   */
  noteScope(key: string, scope: string): void {
    let scopes = this.scopes.get(key);
    if (!scopes) {
      scopes = new Set();
      this.scopes.set(key, scopes);
    }
    scopes.add(scope);
  }

  /** Everything, or (with `scopes`) only the entries whose key serves one of them. */
  status(scopes?: ReadonlySet<string>): ResilienceStatus {
    const shown = (key: string) =>
      !scopes || [...(this.scopes.get(key) ?? [])].some((scope) => scopes.has(scope));
    const circuits = [...this.breakers.values()].map((b) => b.state()).filter((c) => shown(c.name));
    const writePacing = [...this.windows.entries()]
      .filter(([key]) => shown(key))
      .map(([key, w]) => ({ key, ...w.state() }));
    const waitingFor = [
      ...circuits
        .filter((c) => c.phase !== 'closed')
        .map((c) =>
          c.phase === 'open'
            ? `${c.name}: circuit open until ${c.openUntil} after ${c.lastFailure ?? 'failures'}`
            : `${c.name}: circuit half-open, one trial call allowed`,
        ),
      ...writePacing
        .filter((w) => w.waiting > 0)
        .map((w) => `${w.key}: ${w.waiting} write(s) paced until ${w.waitingUntil ?? 'a slot frees'}`),
    ];
    const rateLimits = [...this.headroom.values()].filter((r) => shown(r.key));
    for (const r of rateLimits) {
      if (r.remaining === 0) waitingFor.push(`${r.key}: ${r.resource} rate limit used up until ${r.resetAt}`);
    }
    return { circuits, writePacing, rateLimits, waitingFor };
  }
}

/** What `noteScope` records for a GitHub repository. */
export const repoScope = (owner: string, repo: string): string => `repo:${owner}/${repo}`.toLowerCase();

/** What `noteScope` records for a Drive design. */
export const designScope = (fileId: string): string => `design:${fileId}`;

/**
 * The circuit every call to one Drive API host shares (designs, their folder checks, channels and the
 * changes feed): one host failing fails them all fast.
 */
export const driveCircuit = (rootUrl: string | undefined): string =>
  `drive:${new URL(rootUrl ?? 'https://www.googleapis.com').host}`;
