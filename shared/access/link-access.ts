import { createHash } from 'node:crypto';
import type { AppContext } from '../context/index.ts';
import {
  type AccessNeed,
  type AccessVerdict,
  type AccountFacts,
  ADMIN_TENANT,
  combineVerdicts,
  decideGithubAccess,
  decideLocalAccess,
} from '../domain/index.ts';
import {
  githubHostFromApiUrl,
  parseDesignUrl,
  parseRepoUrl,
  type RepoDescriptor,
  type TenantCredentials,
} from '../providers/index.ts';
import type { Link } from '../records/index.ts';
import { pacedFetch } from '../resilience/index.ts';
import { driveVerdict } from './drive-access.ts';
import type { TenantGrants } from './grant-model.ts';
import { grantedValues, readGrants } from './grants-store.ts';
import { resolveRealPath } from './real-path.ts';

/** What an access check needs of a link (a stored one, or one about to be created). */
export interface LinkTarget {
  id?: string;
  tenant: string;
  repo: string;
  design: string;
  policy?: Record<string, unknown> | undefined;
  access?: Link['access'];
}

export interface LinkAccess {
  verdict: AccessVerdict;
  /** What the providers act with when the verdict allows the link. */
  credentials: TenantCredentials;
}

/** How long GitHub's answer about one account and repository is trusted before asking again. */
const PROBE_TTL_MS = 60_000;

/**
 * Decides who may serve a link: read at use time (link creation, every sync, the admin's report), so
 * a revoked grant or a disconnected account takes effect on the next sync. The repository, the design
 * and any local path are each checked, and one verdict says everything missing. Throws only what a
 * retry may fix (GitHub or Drive unavailable or rate limited while asking it).
 */
export async function checkLinkAccess(ctx: AppContext, link: LinkTarget): Promise<LinkAccess> {
  const admin = link.tenant === ADMIN_TENANT;
  const repo = parseRepoUrl(link.repo, { githubHost: githubHostFromApiUrl(ctx.config.GITHUB_API_URL) });
  const design = parseDesignUrl(link.design);
  let grants: Promise<TenantGrants> | undefined;
  const grantsOnce = () => {
    grants ??= readGrants(ctx, link.tenant);
    return grants;
  };
  const paths = [
    ...(repo.kind === 'local-git' ? [{ what: 'repository' as const, path: repo.path }] : []),
    ...(design.kind === 'local-file' ? [{ what: 'design' as const, path: design.path }] : []),
  ];
  const parts: AccessVerdict[] = [];
  let credentials: TenantCredentials = {};
  if (paths.length > 0 && !admin) parts.push(await localVerdict(ctx, link.tenant, paths, grantsOnce));
  if (repo.kind === 'github') {
    const github = await githubAccess(ctx, link, repo, admin, grantsOnce);
    parts.push(github.verdict);
    credentials = github.credentials;
  }
  if (design.kind === 'drive') {
    parts.push(await driveVerdict(ctx, { tenant: link.tenant, fileId: design.fileId, admin }, grantsOnce));
  }
  const verdict = combineVerdicts(parts);
  if (!verdict.allowed) return { verdict, credentials: {} };
  return { verdict, credentials: { ...credentials, ...(design.kind === 'drive' ? { drive: true } : {}) } };
}

async function localVerdict(
  ctx: AppContext,
  tenant: string,
  paths: Array<{ what: 'repository' | 'design'; path: string }>,
  grants: () => Promise<TenantGrants>,
): Promise<AccessVerdict> {
  const optIn = ctx.config.BRIDGE_LOCAL_LINKS;
  if (optIn === 'admin') return decideLocalAccess({ tenant, admin: false, optIn, paths, granted: [] });
  const folders = grantedValues(await grants(), 'local-path');
  // Symlinks are followed on both sides: a link inside a granted folder cannot point out of it.
  const [real, granted] = await Promise.all([
    Promise.all(paths.map(async (p) => ({ ...p, path: await resolveRealPath(p.path) }))),
    Promise.all(folders.map(resolveRealPath)),
  ]);
  return decideLocalAccess({ tenant, admin: false, optIn, paths: real, granted });
}

async function githubAccess(
  ctx: AppContext,
  link: LinkTarget,
  repo: Extract<RepoDescriptor, { kind: 'github' }>,
  admin: boolean,
  grantsOnce: () => Promise<TenantGrants>,
): Promise<LinkAccess> {
  const need: AccessNeed = link.policy?.mode === 'report-only' ? 'read' : 'write';
  const { githubAccountToken, markGithubReconnectNeeded } = await import('../oauth/user-token.ts');
  const connected = await githubAccountToken(ctx, link.tenant);
  const account: AccountFacts =
    connected.state === 'active'
      ? await probe(ctx, connected.token, repo)
      : connected.state === 'reconnect_needed'
        ? { state: 'reconnect_needed', reason: connected.reason }
        : { state: 'none' };
  if (account.state === 'rejected' && connected.state === 'active') {
    await markGithubReconnectNeeded(
      ctx,
      link.tenant,
      connected.token,
      'GitHub rejects its token (revoked or expired)',
    );
  }
  const facts = {
    tenant: link.tenant,
    admin,
    owner: repo.owner,
    repoName: `${repo.owner}/${repo.repo}`,
    need,
    account,
    ownerGranted: false,
    installationGranted: false,
  };
  let verdict = decideGithubAccess(facts);
  if (!verdict.allowed && !admin) {
    const grants = await grantsOnce();
    const ownerGranted = grantedValues(grants, 'owner').includes(repo.owner.toLowerCase());
    const installations = grantedValues(grants, 'installation');
    const installationGranted =
      !ownerGranted && installations.length > 0 && (await installationOf(ctx, repo, installations));
    verdict = decideGithubAccess({ ...facts, ownerGranted, installationGranted });
  }
  const credentials: TenantCredentials =
    verdict.allowed && verdict.via === 'account' && connected.state === 'active'
      ? { githubToken: connected.token }
      : { bridge: verdict.allowed };
  return { verdict, credentials };
}

/** GitHub's answer for this token and repository, cached briefly (every sync asks). */
async function probe(
  ctx: AppContext,
  token: string,
  repo: { owner: string; repo: string },
): Promise<AccountFacts> {
  const hash = createHash('sha256').update(token).digest('hex').slice(0, 16);
  const key = `repo-access:${hash}|${repo.owner}/${repo.repo}`.toLowerCase();
  const now = ctx.now().getTime();
  const known = ctx.memo.get<AccountFacts>(key, now);
  if (known) return known;
  const { probeRepoAccess } = await import('../providers/github/index.ts');
  const reach = await probeRepoAccess({
    baseUrl: ctx.config.GITHUB_API_URL,
    token,
    owner: repo.owner,
    repo: repo.repo,
    logger: ctx.logger.child({ provider: 'github' }),
    fetch: githubFetch(ctx),
  });
  const facts: AccountFacts = reach.reachable
    ? { state: 'checked', pull: reach.pull, push: reach.push }
    : reach.rejected
      ? { state: 'rejected' }
      : { state: 'checked', pull: false, push: false };
  ctx.memo.set(key, facts, now + PROBE_TTL_MS);
  return facts;
}

/** Whether the bridge's App is installed on the repository through one of the granted installations. */
async function installationOf(
  ctx: AppContext,
  repo: { owner: string; repo: string },
  granted: readonly string[],
): Promise<boolean> {
  const auth = await ctx.bridgeGithubAuth();
  if (!auth || typeof auth === 'string') return false;
  const { findInstallationId } = await import('../providers/github/index.ts');
  const id = await findInstallationId({
    baseUrl: ctx.config.GITHUB_API_URL.replace(/\/+$/, ''),
    appId: auth.appId,
    privateKey: auth.privateKey,
    owner: repo.owner,
    repo: repo.repo,
    logger: ctx.logger.child({ provider: 'github' }),
    appState: ctx.githubApps,
    fetch: githubFetch(ctx),
    // No waiting here either: a sync that cannot ask GitHub now is retried by the bus.
    tuning: { retries: 0, rateLimitRetries: 0 },
  });
  return id !== undefined && granted.includes(String(id));
}

/**
 * For the access checks' own GitHub calls: Octokit has no timeout of its own, so they get the
 * providers' request timeout, and they are counted in `bridge.provider.calls` like the providers'.
 */
function githubFetch(ctx: AppContext): typeof fetch {
  return pacedFetch({
    timeoutMs: ctx.resilience.settings.requestTimeoutMs,
    inner: ctx.metrics.providerFetch('github'),
  });
}
