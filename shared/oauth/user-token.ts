import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { AppContext, SingleFlight } from '../context/index.ts';
import { decryptCredential } from '../crypto/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import type { StoredDoc } from '../ports/index.ts';
import {
  CREDENTIALS,
  type GithubCredentialDoc,
  githubCredentialId,
  keyring,
  tokenFields,
} from './github-credentials.ts';
import { resolveOAuthClient } from './oauth-client.ts';
import { refreshAtGithub } from './refresh-token.ts';

/** What the tenant's connected account can act with now. */
export type GithubAccountToken =
  | { state: 'none' }
  | { state: 'active'; token: string }
  | { state: 'reconnect_needed'; reason: string };

export interface AccountTokenOptions {
  /** In-process coalescing of refreshes (default: the context's, one per process). */
  singleFlight?: SingleFlight;
  /** How often a process waiting for another's refresh reads the connection again (ms). */
  pollMs?: number;
  fetch?: typeof fetch;
}

type Ctx = Pick<AppContext, 'state' | 'secrets' | 'config' | 'now' | 'logger' | 'singleFlight'>;
type Doc = StoredDoc<GithubCredentialDoc>;

/** Refresh with this much left: GitHub's tokens last 8 hours, a sync must not see one expire mid-way. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/**
 * A refresh claim lapses after this: longer than the OAuth request may take (10 s timeout), so a live
 * claimant always stores its answer first, while a crashed one's claim does not block for long.
 */
const CLAIM_MS = 30_000;

/**
 * The connected account's access token, refreshed first when it expires within five minutes. A
 * refresh token is single-use, so of all the syncs needing a refresh at once only one asks GitHub:
 * in one process they share one promise; across processes the one whose claim (a write guarded by
 * the connection's version) lands first refreshes, and the others use the still-valid token or wait
 * for the stored answer. A refused refresh marks the connection `reconnect_needed`.
 */
export async function githubAccountToken(
  ctx: Ctx,
  tenant: string,
  options: AccountTokenOptions = {},
): Promise<GithubAccountToken> {
  const id = githubCredentialId(tenant);
  const ready = await usable(ctx, await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, id));
  if (ready) return ready;
  return (options.singleFlight ?? ctx.singleFlight).run(`github-refresh:${id}`, () =>
    refreshShared(ctx, tenant, options),
  );
}

/** The token when no refresh is needed; undefined when it is. */
async function usable(ctx: Ctx, doc: Doc | undefined): Promise<GithubAccountToken | undefined> {
  if (!doc) return { state: 'none' };
  const data = doc.data;
  if (data.status === 'reconnect_needed') {
    return { state: 'reconnect_needed', reason: data.problem ?? 'GitHub refused its token' };
  }
  if (data.expiresAt && Date.parse(data.expiresAt) - ctx.now().getTime() <= REFRESH_MARGIN_MS)
    return undefined;
  return active(ctx, data);
}

async function active(ctx: Ctx, data: GithubCredentialDoc): Promise<GithubAccountToken> {
  return { state: 'active', token: decryptCredential(data.secret, await keyring(ctx)) };
}

const RETRY = Symbol('retry');

async function refreshShared(
  ctx: Ctx,
  tenant: string,
  options: AccountTokenOptions,
): Promise<GithubAccountToken> {
  const id = githubCredentialId(tenant);
  const giveUpAt = ctx.now().getTime() + 2 * CLAIM_MS;
  for (;;) {
    const doc = await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, id);
    const ready = await usable(ctx, doc);
    if (ready || !doc) return ready ?? { state: 'none' };
    const now = ctx.now().getTime();
    const stillValid = Date.parse(doc.data.expiresAt ?? '') > now;
    const claim = doc.data.refreshClaim;
    if (claim && Date.parse(claim.until) > now) {
      // Another process is refreshing: its token is stored soon; the current one may still do.
      if (stillValid) return active(ctx, doc.data);
      if (now > giveUpAt) {
        throw new AppError(
          'unavailable',
          `The GitHub token of tenant ${tenant} is being refreshed; try again`,
        );
      }
      await delay(options.pollMs ?? 200);
      continue;
    }
    const refreshable =
      doc.data.refreshSecret !== undefined &&
      (!doc.data.refreshTokenExpiresAt || Date.parse(doc.data.refreshTokenExpiresAt) > now);
    if (!refreshable) {
      if (stillValid) return active(ctx, doc.data);
      return markReconnect(ctx, doc, 'its token expired and it has no refresh token that is still valid');
    }
    const claimed = await claimRefresh(ctx, doc, now);
    if (!claimed) continue;
    const outcome = await refreshClaimed(ctx, tenant, claimed, options);
    if (outcome !== RETRY) return outcome;
  }
}

/** The connection with this process's claim on it, or undefined when another write came first. */
async function claimRefresh(ctx: Ctx, doc: Doc, now: number): Promise<Doc | undefined> {
  const data = {
    ...doc.data,
    refreshClaim: { id: randomUUID(), until: new Date(now + CLAIM_MS).toISOString() },
  };
  try {
    const version = await ctx.state.update(CREDENTIALS, doc.id, { ...data }, { ifVersion: doc.version });
    return { ...doc, data, version };
  } catch (err) {
    if (isAppError(err) && (err.code === 'precondition_failed' || err.code === 'not_found')) return undefined;
    throw err;
  }
}

async function refreshClaimed(
  ctx: Ctx,
  tenant: string,
  doc: Doc,
  options: AccountTokenOptions,
): Promise<GithubAccountToken | typeof RETRY> {
  const { refreshClaim: _claim, problem: _problem, ...rest } = doc.data;
  const write = async (data: GithubCredentialDoc): Promise<boolean> => {
    try {
      await ctx.state.update(CREDENTIALS, doc.id, { ...data }, { ifVersion: doc.version });
      return true;
    } catch (err) {
      // Reconnected or disconnected meanwhile: that write wins; read again.
      if (isAppError(err) && (err.code === 'precondition_failed' || err.code === 'not_found')) return false;
      throw err;
    }
  };
  let outcome: Awaited<ReturnType<typeof refreshAtGithub>>;
  try {
    const client = await resolveOAuthClient(ctx);
    const refresh = decryptCredential(doc.data.refreshSecret, await keyring(ctx));
    outcome = await refreshAtGithub(client, refresh, {
      logger: ctx.logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (err) {
    await write(rest).catch(() => false);
    throw err;
  }
  if (outcome.ok) {
    const { expiresAt: _e, refreshSecret: _r, refreshTokenExpiresAt: _t, ...kept } = rest;
    const next: GithubCredentialDoc = {
      ...kept,
      ...(await tokenFields(ctx, outcome.token)),
      status: 'active',
      refreshedAt: ctx.now().toISOString(),
    };
    if (!(await write(next))) return RETRY;
    ctx.logger.info('GitHub user token refreshed', { tenant });
    return { state: 'active', token: outcome.token.token };
  }
  if (outcome.refused) {
    const reason = `GitHub refused to refresh its token (${outcome.code})`;
    ctx.logger.warn('GitHub refused a token refresh; the account must be connected again', {
      tenant,
      oauthError: outcome.code,
    });
    return (await write({ ...rest, status: 'reconnect_needed', problem: reason }))
      ? { state: 'reconnect_needed', reason }
      : RETRY;
  }
  await write(rest).catch(() => false);
  throw new AppError(
    'unavailable',
    `${outcome.reason} for the GitHub account connected for tenant ${tenant}: try again later`,
  );
}

async function markReconnect(ctx: Ctx, doc: Doc, reason: string): Promise<GithubAccountToken> {
  const { refreshClaim: _claim, ...rest } = doc.data;
  await ctx.state
    .update(
      CREDENTIALS,
      doc.id,
      { ...rest, status: 'reconnect_needed', problem: reason },
      { ifVersion: doc.version },
    )
    .catch((err: unknown) => {
      if (!isAppError(err) || (err.code !== 'precondition_failed' && err.code !== 'not_found')) throw err;
    });
  return { state: 'reconnect_needed', reason };
}

/**
 * Marks the connection `reconnect_needed` when GitHub rejects its token (401: revoked by the user,
 * say), unless it was replaced meanwhile (a reconnect stores another token).
 */
export async function markGithubReconnectNeeded(
  ctx: Ctx,
  tenant: string,
  rejected: string,
  reason: string,
): Promise<void> {
  const doc = await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, githubCredentialId(tenant));
  if (!doc || doc.data.status === 'reconnect_needed') return;
  if (decryptCredential(doc.data.secret, await keyring(ctx)) !== rejected) return;
  ctx.logger.warn('GitHub rejects a connected account’s token; the account must be connected again', {
    tenant,
  });
  await markReconnect(ctx, doc, reason);
}
