import { AppError } from '../../errors/index.ts';

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  errors?: Array<{ type?: string; message?: string }>;
}

/** GitHub's own explanation (`{"message": …}`), which never contains the caller's credentials. */
function githubMessage(err: RequestErrorLike): string {
  const data = err.response?.data as { message?: unknown; errors?: Array<{ message?: unknown }> } | undefined;
  const parts = [data?.message, ...(data?.errors ?? []).map((e) => e.message)].filter(
    (m): m is string => typeof m === 'string' && m !== '',
  );
  return parts.join(': ').slice(0, 200);
}

const FAST_FORWARD = /not a fast.?forward|reference already exists|reference cannot be updated/i;

/**
 * Maps an Octokit error to an AppError naming the repository and the operation. Messages are
 * built from the status and GitHub's answer only: never from the request (which holds the token).
 */
export function mapGithubError(err: unknown, repo: string, operation: string): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as RequestErrorLike;
  const where = `GitHub ${operation} on ${repo}`;
  if (Array.isArray(e.errors) && e.status === undefined) {
    // GraphqlResponseError: HTTP 200 with `errors`.
    const notFound = e.errors.some((x) => x.type === 'NOT_FOUND');
    const rateLimited = e.errors.some((x) => x.type === 'RATE_LIMITED');
    const detail = e.errors
      .map((x) => x.message ?? x.type ?? '')
      .join('; ')
      .slice(0, 200);
    if (notFound) return new AppError('not_found', `${where}: not found (${detail})`, { cause: err });
    if (rateLimited)
      return new AppError('rate_limited', `${where}: GraphQL rate limit exceeded`, { cause: err });
    return new AppError('upstream_failed', `${where} failed: ${detail}`, { cause: err });
  }
  const status = e.status;
  const said = githubMessage(e);
  const suffix = said ? `: ${said}` : '';
  const headers = e.response?.headers ?? {};
  if (status === 401)
    return new AppError('unauthorized', `${where}: GitHub rejected the credentials${suffix}`, { cause: err });
  if (status === 403 || status === 429) {
    if (status === 429 || headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said)) {
      const retryAfter =
        headers['retry-after'] ??
        (headers['x-ratelimit-reset']
          ? String(Math.max(1, Number(headers['x-ratelimit-reset']) - Math.floor(Date.now() / 1000)))
          : '60');
      return new AppError('rate_limited', `${where}: rate limit exceeded${suffix}`, {
        cause: err,
        headers: { 'retry-after': retryAfter },
      });
    }
    return new AppError('forbidden', `${where}: permission denied${suffix}`, { cause: err });
  }
  if (status === 404) return new AppError('not_found', `${where}: not found${suffix}`, { cause: err });
  if (status === 409) return new AppError('conflict', `${where}: conflict${suffix}`, { cause: err });
  if (status === 422) {
    if (FAST_FORWARD.test(said)) {
      return new AppError('conflict', `${where}: the branch moved since it was read${suffix}`, {
        cause: err,
      });
    }
    return new AppError('validation_failed', `${where}: GitHub refused the request${suffix}`, { cause: err });
  }
  if (status === 503)
    return new AppError('unavailable', `${where}: GitHub is unavailable${suffix}`, { cause: err });
  if (e.response === undefined && isTimeout(err)) {
    // Octokit reports a fetch that was aborted by its timeout as a 500 without a response.
    return new AppError('upstream_failed', `${where}: GitHub did not answer within the request timeout`, {
      cause: err,
    });
  }
  if (status !== undefined && status >= 500) {
    return new AppError('upstream_failed', `${where} failed with ${status}${suffix}`, { cause: err });
  }
  return new AppError('upstream_failed', `${where} failed${status ? ` with ${status}` : ''}`, { cause: err });
}

/** An AbortSignal.timeout() firing, as fetch and Octokit pass it on (the error or its cause). */
function isTimeout(err: unknown): boolean {
  const named = (v: unknown) => (v as { name?: unknown } | undefined)?.name === 'TimeoutError';
  return named(err) || named((err as { cause?: unknown } | undefined)?.cause);
}

export function statusOf(err: unknown): number | undefined {
  return (err as RequestErrorLike | undefined)?.status;
}
