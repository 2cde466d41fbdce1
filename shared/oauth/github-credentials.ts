import type { AppContext } from '../context/index.ts';
import {
  decryptCredential,
  type EncryptedCredential,
  encryptCredential,
  loadKeyring,
} from '../crypto/index.ts';
import type { GithubUserToken } from './exchange-code.ts';

/** Collection and field ENCRYPTED_FIELDS names, so a data-key rotation re-encrypts these tokens. */
export const CREDENTIALS = 'credentials';

/** A tenant's connected GitHub user account (one per tenant; connecting again replaces it). */
export interface GithubCredentialDoc {
  tenant: string;
  provider: 'github';
  kind: 'oauth-user';
  /** The access token, AES-256-GCM under the current data key. */
  secret: EncryptedCredential;
  tokenType: string;
  scopes: string[];
  connectedAt: string;
  /** The API key that started the connect flow. */
  connectedBy: string;
  /** Expiring (GitHub App user-to-server) tokens: when the access token stops working. */
  expiresAt?: string;
  /** The single-use refresh token, encrypted like the access token. */
  refreshSecret?: EncryptedCredential;
  refreshTokenExpiresAt?: string;
  refreshedAt?: string;
  /** `reconnect_needed` once GitHub refused a refresh: the user must connect again. */
  status?: 'active' | 'reconnect_needed';
  problem?: string;
  /** A process refreshing right now (see user-token.ts); others wait for it instead of refreshing. */
  refreshClaim?: { id: string; until: string };
}

/** What the API may show about a connection: never a token, encrypted or not. */
export interface GithubConnection {
  connected: boolean;
  status?: 'active' | 'reconnect_needed';
  /** Why reconnecting is needed. */
  reason?: string;
  scopes?: string[];
  connectedAt?: string;
  expiresAt?: string;
}

export const githubCredentialId = (tenant: string) => `github-oauth.${tenant}`;

export type Ctx = Pick<AppContext, 'state' | 'secrets' | 'config' | 'now'>;

export const keyring = (ctx: Pick<Ctx, 'secrets' | 'config'>) =>
  loadKeyring(ctx.secrets, { createIfMissing: ctx.config.BRIDGE_BACKEND === 'local' });

const later = (now: Date, seconds: number | undefined) =>
  seconds === undefined ? undefined : new Date(now.getTime() + seconds * 1000).toISOString();

/** The stored fields of a token answer (a connect or a refresh), tokens encrypted. */
export async function tokenFields(
  ctx: Ctx,
  token: GithubUserToken,
): Promise<Pick<GithubCredentialDoc, 'secret' | 'expiresAt' | 'refreshSecret' | 'refreshTokenExpiresAt'>> {
  const keys = await keyring(ctx);
  const now = ctx.now();
  const expiresAt = later(now, token.expiresInSeconds);
  const refreshTokenExpiresAt = later(now, token.refreshTokenExpiresInSeconds);
  return {
    secret: encryptCredential(token.token, keys),
    ...(expiresAt ? { expiresAt } : {}),
    ...(token.refreshToken ? { refreshSecret: encryptCredential(token.refreshToken, keys) } : {}),
    ...(refreshTokenExpiresAt ? { refreshTokenExpiresAt } : {}),
  };
}

export async function storeGithubUserToken(
  ctx: Ctx,
  input: { tenant: string; connectedBy: string; token: GithubUserToken },
): Promise<void> {
  const doc: GithubCredentialDoc = {
    tenant: input.tenant,
    provider: 'github',
    kind: 'oauth-user',
    ...(await tokenFields(ctx, input.token)),
    tokenType: input.token.tokenType,
    scopes: input.token.scopes,
    connectedAt: ctx.now().toISOString(),
    connectedBy: input.connectedBy,
    status: 'active',
  };
  await ctx.state.set(CREDENTIALS, githubCredentialId(input.tenant), { ...doc });
}

/** The tenant's stored GitHub user token, decrypted, as is (see githubAccountToken for a usable one). */
export async function readGithubUserToken(ctx: Ctx, tenant: string): Promise<string | undefined> {
  const doc = await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, githubCredentialId(tenant));
  if (!doc) return undefined;
  return decryptCredential(doc.data.secret, await keyring(ctx));
}

export async function githubConnection(ctx: Ctx, tenant: string): Promise<GithubConnection> {
  const doc = await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, githubCredentialId(tenant));
  if (!doc) return { connected: false };
  const { status = 'active', problem, scopes, connectedAt, expiresAt } = doc.data;
  return {
    connected: true,
    status,
    ...(status === 'reconnect_needed' && problem ? { reason: problem } : {}),
    scopes,
    connectedAt,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

export async function disconnectGithub(ctx: Ctx, tenant: string): Promise<boolean> {
  return ctx.state.delete(CREDENTIALS, githubCredentialId(tenant));
}
