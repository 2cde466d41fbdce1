import { AppError } from '../errors/index.ts';
import type { DesignProvider, RepoProvider } from '../ports/index.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';

export interface GuardOptions {
  breaker: CircuitBreaker;
  /** Deadline for one provider call, retries inside it included (default 120 s). */
  deadlineMs?: number;
}

/** Fails a call that has not settled in `ms` (the underlying request may still finish: writes are conditional). */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new AppError('unavailable', `${what} got no answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function guard(options: GuardOptions, name: string) {
  const deadlineMs = options.deadlineMs ?? 120_000;
  return <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    options.breaker.run(() => withDeadline(fn(), deadlineMs, `${name} ${what}`));
}

/**
 * The repository provider behind its host's circuit breaker, each call with a deadline. Every other
 * property (kind, callCount, the GitHub provider's rateLimit()) passes through.
 */
export function guardRepoProvider<P extends RepoProvider>(provider: P, options: GuardOptions): P {
  const call = guard(options, provider.displayName);
  return {
    ...provider,
    defaultBranch: () => call('default branch', () => provider.defaultBranch()),
    headSha: (branch) => call('head', () => provider.headSha(branch)),
    readSnapshot: (branch) => call('read', () => provider.readSnapshot(branch)),
    readFiles: (branch, selection) => call('file read', () => provider.readFiles(branch, selection)),
    ensureBranch: (branch, fromSha) => call('create branch', () => provider.ensureBranch(branch, fromSha)),
    commit: (request) => call('commit', () => provider.commit(request)),
    openOrUpdatePullRequest: (request) =>
      call('pull request', () => provider.openOrUpdatePullRequest(request)),
    openIssue: (request) => call('issue', () => provider.openIssue(request)),
    updateIssue: (number, patch) => call('issue', () => provider.updateIssue(number, patch)),
    commentOnIssue: (number, body) => call('issue comment', () => provider.commentOnIssue(number, body)),
    findOpenIssue: (query) => call('issue search', () => provider.findOpenIssue(query)),
    setCommitStatus: (sha, status) => call('commit status', () => provider.setCommitStatus(sha, status)),
    webhookSupport: () => provider.webhookSupport(),
    listWebhooks: () => call('webhooks', () => provider.listWebhooks()),
    createWebhook: (hook) => call('webhook creation', () => provider.createWebhook(hook)),
    updateWebhook: (id, patch) => call('webhook secret update', () => provider.updateWebhook(id, patch)),
    deleteWebhook: (id) => call('webhook removal', () => provider.deleteWebhook(id)),
  };
}

/** The design provider behind its host's circuit breaker, each call with a deadline. */
export function guardDesignProvider<P extends DesignProvider>(provider: P, options: GuardOptions): P {
  const call = guard(options, provider.displayName);
  return {
    ...provider,
    read: () => call('read', () => provider.read()),
    write: (content, ifRevision) => call('write', () => provider.write(content, ifRevision)),
  };
}
