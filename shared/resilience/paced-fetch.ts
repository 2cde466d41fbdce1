import type { WriteWindow } from './write-window.ts';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function pathOf(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * GitHub's secondary limits count "content-creating" requests: POST, PATCH, PUT and DELETE to the
 * REST API and GraphQL mutations. Installation-token requests and GraphQL queries create nothing.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
export function isContentCreating(method: string, path: string, body: unknown): boolean {
  if (!WRITE_METHODS.has(method.toUpperCase())) return false;
  if (/\/app\/installations\/[^/]+\/access_tokens$/.test(path)) return false;
  if (/\/graphql$/.test(path)) return typeof body === 'string' && /"query"\s*:\s*"\s*mutation\b/.test(body);
  return true;
}

/** GitHub's primary rate limit as its last response reported it (`x-ratelimit-*` headers). */
export interface RateLimitHeadroom {
  resource: string;
  limit: number;
  remaining: number;
  /** When the window resets (ISO time). */
  resetAt: string;
}

export function readRateLimit(headers: Headers): RateLimitHeadroom | undefined {
  const limit = Number(headers.get('x-ratelimit-limit'));
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (!headers.has('x-ratelimit-limit') || !Number.isFinite(limit) || !Number.isFinite(remaining))
    return undefined;
  return {
    resource: headers.get('x-ratelimit-resource') ?? 'core',
    limit,
    remaining,
    resetAt: Number.isFinite(reset) ? new Date(reset * 1000).toISOString() : '',
  };
}

export interface PacedFetchOptions {
  /** Paces content-creating requests (per installation); without one, nothing is paced. */
  window?: WriteWindow;
  /** Told the rate-limit headroom each response reports (for health). */
  onRateLimit?: (headroom: RateLimitHeadroom) => void;
  /** Aborts a request that got no answer in this time (Octokit has no timeout of its own). */
  timeoutMs?: number;
  inner?: typeof fetch;
}

/** A fetch for Octokit that waits for a write slot before content-creating requests and times requests out. */
export function pacedFetch(options: PacedFetchOptions): typeof fetch {
  const inner = options.inner ?? globalThis.fetch;
  return async (input, init) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (options.window && isContentCreating(method, pathOf(input), init?.body))
      await options.window.acquire();
    const observe = (response: Response) => {
      const headroom = options.onRateLimit && readRateLimit(response.headers);
      if (headroom) options.onRateLimit?.(headroom);
      return response;
    };
    if (!options.timeoutMs) return observe(await inner(input, init));
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return observe(await inner(input, { ...init, signal }));
  };
}
