import { AppError } from '../../errors/index.ts';
import { createLogger, type Logger } from '../../logging/index.ts';
import type { CommitRequest, RepoProvider, RepoSnapshot } from '../../ports/index.ts';
import { openIssue, openOrUpdatePullRequest, setCommitStatus } from './collaboration.ts';
import { commitChanges, createRef } from './commit-changes.ts';
import { createHttpMeter, type GithubTuning, type RateLimitInfo } from './create-octokit.ts';
import { GithubAppState } from './github-app-state.ts';
import { createClientSource, type GithubAuth } from './github-client.ts';
import { commentOnIssue, findOpenIssue, updateIssue } from './issues.ts';
import { mapGithubError, statusOf } from './map-github-error.ts';
import { ProviderCache } from './provider-cache.ts';
import { readFiles } from './read-files.ts';
import { type ReadContext, readSnapshot } from './read-snapshot.ts';
import { createWebhook, deleteWebhook, listWebhooks, updateWebhook } from './repo-webhooks.ts';

export interface GithubRepoProviderOptions {
  owner: string;
  repo: string;
  /**
   * REST base URL (GITHUB_API_URL): `https://api.github.com`, `https://HOST/api/v3` for GitHub
   * Enterprise Server, or a loopback test server. GraphQL goes to `${baseUrl}/graphql`, and for a
   * GHES `/api/v3` base to `https://HOST/api/graphql` (@octokit/graphql rewrites it).
   */
  baseUrl?: string;
  auth: GithubAuth;
  logger?: Logger;
  tuning?: GithubTuning;
  /** The fetch Octokit uses (the composition root adds write pacing and request timeouts). */
  fetch?: typeof fetch;
  /**
   * A GitHub App's installations and tokens, shared by the providers of one registry (the context
   * builds one); without it this provider keeps its own.
   */
  appState?: GithubAppState;
}

export interface GithubRepoProvider extends RepoProvider {
  readonly kind: 'github';
  /** The last `x-ratelimit-*` headers seen (health reports use the headroom). */
  rateLimit(): RateLimitInfo | undefined;
}

/**
 * The RepoProvider for a GitHub repository. GitHub calls per sync, whatever the number of changed
 * services: readSnapshot 2 (tree listing + one GraphQL query for up to 250 files / 2 MiB; one more
 * query per further chunk), commit 3 (tree, commit, ref) — 5 for a read and a write. A GitHub App
 * adds at most 2 the first time (installation lookup, installation token), both cached.
 */
export function createGithubRepoProvider(options: GithubRepoProviderOptions): GithubRepoProvider {
  const { owner, repo } = options;
  const baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const repoName = `${owner}/${repo}`;
  const logger = (options.logger ?? createLogger({ level: 'warn' })).child({
    provider: 'github',
    repo: repoName,
  });
  const meter = createHttpMeter(options.fetch);
  const cache = new ProviderCache();
  const source = createClientSource({
    owner,
    repo,
    baseUrl,
    auth: options.auth,
    logger,
    meter,
    tuning: options.tuning ?? {},
    appState: options.appState ?? new GithubAppState(),
  });
  let defaultBranchName: Promise<string> | undefined;

  const run = async <T>(fn: (ctx: ReadContext) => Promise<T>): Promise<T> => {
    const octokit = await source.client();
    try {
      return await fn({ owner, repo, repoName, logger, cache, octokit });
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthorized') source.forget();
      throw err;
    }
  };

  const headSha = (branch: string) =>
    run(async (ctx) => {
      const cached = cache.refs.get(branch);
      try {
        const res = await ctx.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
          owner,
          repo,
          ref: `heads/${branch}`,
          headers: cached ? { 'if-none-match': cached.etag } : {},
        });
        if (res.headers.etag) cache.refs.set(branch, { etag: res.headers.etag, data: res.data.object.sha });
        return res.data.object.sha;
      } catch (err) {
        const status = statusOf(err);
        if (status === 304 && cached) return cached.data;
        if (status === 404 || status === 409) {
          cache.refs.delete(branch);
          return undefined;
        }
        throw mapGithubError(err, repoName, `head of "${branch}"`);
      }
    });

  return {
    kind: 'github',
    displayName: repoName,
    callCount: () => meter.count,
    rateLimit: () => meter.rateLimit,

    defaultBranch() {
      defaultBranchName ??= run(async (ctx) => {
        const result = await ctx.octokit
          .graphql<{ repository: { defaultBranchRef: { name: string } | null } | null }>(
            'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { defaultBranchRef { name } } }',
            { owner, name: repo },
          )
          .catch((err: unknown) => {
            throw mapGithubError(err, repoName, 'default branch');
          });
        const name = result.repository?.defaultBranchRef?.name;
        if (!name)
          throw new AppError('not_found', `GitHub default branch on ${repoName}: the repository is empty`);
        return name;
      }).catch((err: unknown) => {
        defaultBranchName = undefined;
        throw err;
      });
      return defaultBranchName;
    },

    headSha,

    readSnapshot: (branch: string): Promise<RepoSnapshot> => run((ctx) => readSnapshot(ctx, branch)),

    readFiles: (branch, selection) => run((ctx) => readFiles(ctx, branch, selection)),

    async ensureBranch(branch, fromSha) {
      return run(async (ctx) => {
        try {
          await createRef(ctx, branch, fromSha);
          return fromSha;
        } catch (err) {
          if (statusOf(err) !== 422) throw mapGithubError(err, repoName, `create branch "${branch}"`);
          const existing = await headSha(branch);
          if (!existing) throw mapGithubError(err, repoName, `create branch "${branch}"`);
          return existing;
        }
      });
    },

    commit: (request: CommitRequest) => run((ctx) => commitChanges(ctx, request)),

    openOrUpdatePullRequest: (request) => run((ctx) => openOrUpdatePullRequest(ctx, request)),

    openIssue: (request) => run((ctx) => openIssue(ctx, request)),

    updateIssue: (number, patch) => run((ctx) => updateIssue(ctx, number, patch)),

    commentOnIssue: (number, body) => run((ctx) => commentOnIssue(ctx, number, body)),

    findOpenIssue: (query) => run((ctx) => findOpenIssue(ctx, query)),

    setCommitStatus: (sha, status) => run((ctx) => setCommitStatus(ctx, sha, status)),

    webhookSupport: () =>
      typeof options.auth === 'string'
        ? { managed: true }
        : {
            managed: false,
            reason: 'the GitHub App delivers its webhooks itself (set in the App’s settings)',
          },
    listWebhooks: () => run((ctx) => listWebhooks(ctx)),
    createWebhook: (hook) => run((ctx) => createWebhook(ctx, hook)),
    updateWebhook: (id, patch) => run((ctx) => updateWebhook(ctx, id, patch)),
    deleteWebhook: (id) => run((ctx) => deleteWebhook(ctx, id)),
  };
}
