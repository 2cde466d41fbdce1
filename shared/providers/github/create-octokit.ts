import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../../logging/index.ts';

export const GithubOctokit = Octokit.plugin(throttling, retry);
export type GithubOctokit = InstanceType<typeof GithubOctokit>;

/** Retry and throttling knobs; the defaults are GitHub's advice for production. */
export interface GithubTuning {
  /** Retries of a 5xx or network failure (plugin-retry; default 3). */
  retries?: number;
  /** Base of plugin-retry's quadratic backoff, in ms (default 1000: waits 1 s, 4 s, 9 s). */
  retryBaseMs?: number;
  /** Retries after a primary or secondary rate limit (default 2). */
  rateLimitRetries?: number;
  /** Give up rather than wait longer than this for a rate limit to clear (default 60 s). */
  maxRateLimitWaitSeconds?: number;
  /** Multiplier from `retry-after` seconds to ms (default 1000; tests use 1). */
  rateLimitWaitUnitMs?: number;
  /**
   * Minimum gap between mutating requests. GitHub asks for one second between POST/PATCH/PUT/DELETE
   * requests to avoid secondary rate limits ("Best practices for using the REST API"); default 1000,
   * and 0 when the base URL is a loopback address (a test server has no secondary limits). Requests
   * that notify people (opening issues and pull requests) are spaced three times as much.
   */
  writeSpacingMs?: number;
}

export interface RateLimitInfo {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
  resource: string;
}

export interface HttpMeter {
  count: number;
  rateLimit: RateLimitInfo | undefined;
  fetch: typeof fetch;
}

/** A fetch that counts every HTTP request (retries and token requests included) and keeps the last rate-limit headers. */
export function createHttpMeter(inner: typeof fetch = globalThis.fetch): HttpMeter {
  const meter: HttpMeter = {
    count: 0,
    rateLimit: undefined,
    fetch: async (input, init) => {
      meter.count += 1;
      const res = await inner(input, init);
      const remaining = res.headers.get('x-ratelimit-remaining');
      if (remaining !== null) {
        meter.rateLimit = {
          limit: Number(res.headers.get('x-ratelimit-limit')),
          remaining: Number(remaining),
          reset: Number(res.headers.get('x-ratelimit-reset')),
          resource: res.headers.get('x-ratelimit-resource') ?? 'core',
        };
      }
      return res;
    },
  };
  return meter;
}

function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/**
 * A stand-in for plugin-throttling's Bottleneck `write` group (the plugin calls
 * `group.key(id).schedule(options, fn)` before each mutating request): it spaces request starts by
 * `spacingMs` per key. Used only when the spacing differs from the plugin's default one second.
 */
function spacingGroup(spacingMs: number) {
  const nextStart = new Map<string, number>();
  return {
    key(id: string) {
      return {
        async schedule<T>(
          _options: unknown,
          fn: (...args: unknown[]) => Promise<T>,
          ...args: unknown[]
        ): Promise<T> {
          if (spacingMs > 0) {
            const now = Date.now();
            const start = Math.max(now, nextStart.get(id) ?? 0);
            nextStart.set(id, start + spacingMs);
            if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
          }
          return fn(...args);
        },
      };
    },
  };
}

export interface OctokitSettings {
  baseUrl: string;
  repoName: string;
  logger: Logger;
  meter: HttpMeter;
  tuning: GithubTuning;
  authStrategy?: unknown;
  auth?: unknown;
}

export function createOctokit(settings: OctokitSettings): GithubOctokit {
  const { logger, tuning, repoName } = settings;
  const rateLimitRetries = tuning.rateLimitRetries ?? 2;
  const maxWait = tuning.maxRateLimitWaitSeconds ?? 60;
  const onLimit =
    (kind: 'primary' | 'secondary') =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const retrying = retryCount < rateLimitRetries && retryAfter <= maxWait;
      // options.url is the route template (no query, no credentials); headers are never logged.
      logger.warn(`GitHub ${kind} rate limit hit`, {
        repo: repoName,
        request: `${options.method ?? ''} ${options.url ?? ''}`,
        retryAfterSeconds: retryAfter,
        retryCount,
        retrying,
      });
      return retrying;
    };
  const writeSpacingMs = tuning.writeSpacingMs ?? (isLoopback(settings.baseUrl) ? 0 : 1000);
  return new GithubOctokit({
    baseUrl: settings.baseUrl,
    userAgent: 'integration-bridge',
    ...(settings.authStrategy ? { authStrategy: settings.authStrategy } : {}),
    ...(settings.auth !== undefined ? { auth: settings.auth } : {}),
    request: { fetch: settings.meter.fetch },
    log: {
      // plugin-request-log reports every request (`GET /repos/… - 404 in 10ms`) as info or error;
      // a 404, 304 or 422 is often an expected answer here, so those lines are debug. Paths only, no headers.
      debug: (message: string) => logger.debug(`octokit: ${message}`, { repo: repoName }),
      info: (message: string) => logger.debug(`octokit: ${message}`, { repo: repoName }),
      warn: (message: string) => logger.warn(`octokit: ${message}`, { repo: repoName }),
      error: (message: string) => logger.debug(`octokit: ${message}`, { repo: repoName }),
    },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: tuning.rateLimitWaitUnitMs ?? 1000,
      fallbackSecondaryRateRetryAfter: 60,
      // Requests that notify people (issues, pull requests) get three times the spacing, as the plugin's own groups.
      ...(writeSpacingMs === 1000
        ? {}
        : {
            write: spacingGroup(writeSpacingMs) as never,
            notifications: spacingGroup(3 * writeSpacingMs) as never,
          }),
    },
    retry: {
      retries: tuning.retries ?? 3,
      retryAfterBaseValue: tuning.retryBaseMs ?? 1000,
      // Rate limits (403/429) belong to the throttling plugin; 409/422 are answers, not glitches.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
    },
  } as ConstructorParameters<typeof GithubOctokit>[0]);
}
