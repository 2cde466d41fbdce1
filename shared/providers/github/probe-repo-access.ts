import type { Logger } from '../../logging/index.ts';
import { createHttpMeter, createOctokit } from './create-octokit.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';

/** What one token may do in one repository, as `GET /repos/{owner}/{repo}` reports it. */
export type RepoReach =
  /** GitHub answers 404 (a private repository this token cannot see) or 403 (blocked, e.g. SSO). */
  | { reachable: false; rejected: false }
  /** GitHub answers 401: the token itself is no longer good (revoked, expired). */
  | { reachable: false; rejected: true }
  | { reachable: true; pull: boolean; push: boolean };

export interface ProbeOptions {
  baseUrl: string;
  token: string;
  owner: string;
  repo: string;
  logger: Logger;
  fetch?: typeof fetch;
}

/**
 * Asks GitHub what a user's token may do in a repository. The answer's `permissions` is what GitHub
 * reports for the authenticated user (absent: read only, the cautious reading). Rate limits and
 * server errors throw (mapped AppErrors a retry may fix); the token never appears in a message.
 * https://docs.github.com/en/rest/repos/repos#get-a-repository
 */
export async function probeRepoAccess(options: ProbeOptions): Promise<RepoReach> {
  const { owner, repo, logger } = options;
  logger.addSecret(options.token);
  const octokit = createOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    repoName: `${owner}/${repo}`,
    logger,
    meter: createHttpMeter(options.fetch),
    // No waiting here: a sync that cannot ask GitHub now is retried by the bus with its own backoff.
    tuning: { retries: 0, rateLimitRetries: 0 },
    auth: options.token,
  });
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
    const permissions = data.permissions;
    return { reachable: true, pull: permissions?.pull ?? true, push: permissions?.push ?? false };
  } catch (err) {
    const status = statusOf(err);
    if (status === 401) return { reachable: false, rejected: true };
    const mapped = mapGithubError(err, `${owner}/${repo}`, 'access check');
    if (status === 404 || (status === 403 && mapped.code === 'forbidden')) {
      return { reachable: false, rejected: false };
    }
    throw mapped;
  }
}
