import type { AppContext } from '../app/context.ts';
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
}

/** What the API may show about a connection: never the token, encrypted or not. */
export interface GithubConnection {
  connected: boolean;
  scopes?: string[];
  connectedAt?: string;
}

export const githubCredentialId = (tenant: string) => `github-oauth.${tenant}`;

type Ctx = Pick<AppContext, 'state' | 'secrets' | 'config' | 'now'>;

const keyring = (ctx: Ctx) =>
  loadKeyring(ctx.secrets, { createIfMissing: ctx.config.BRIDGE_BACKEND === 'local' });

export async function storeGithubUserToken(
  ctx: Ctx,
  input: { tenant: string; connectedBy: string; token: GithubUserToken },
): Promise<void> {
  const doc: GithubCredentialDoc = {
    tenant: input.tenant,
    provider: 'github',
    kind: 'oauth-user',
    secret: encryptCredential(input.token.token, await keyring(ctx)),
    tokenType: input.token.tokenType,
    scopes: input.token.scopes,
    connectedAt: ctx.now().toISOString(),
    connectedBy: input.connectedBy,
  };
  await ctx.state.set(CREDENTIALS, githubCredentialId(input.tenant), { ...doc });
}

/** The tenant's GitHub user token, decrypted; undefined when none is connected. */
export async function readGithubUserToken(ctx: Ctx, tenant: string): Promise<string | undefined> {
  const doc = await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, githubCredentialId(tenant));
  if (!doc) return undefined;
  return decryptCredential(doc.data.secret, await keyring(ctx));
}

/** What the tenant's connected account can act with now. */
export type GithubAccountToken =
  | { state: 'none' }
  | { state: 'active'; token: string }
  | { state: 'reconnect_needed'; reason: string };

/** The tenant's connected account's token, if it has one that can be used. */
export async function githubAccountToken(ctx: Ctx, tenant: string): Promise<GithubAccountToken> {
  const token = await readGithubUserToken(ctx, tenant);
  return token === undefined ? { state: 'none' } : { state: 'active', token };
}

export async function githubConnection(ctx: Ctx, tenant: string): Promise<GithubConnection> {
  const doc = await ctx.state.get<GithubCredentialDoc>(CREDENTIALS, githubCredentialId(tenant));
  if (!doc) return { connected: false };
  return { connected: true, scopes: doc.data.scopes, connectedAt: doc.data.connectedAt };
}

export async function disconnectGithub(ctx: Ctx, tenant: string): Promise<boolean> {
  return ctx.state.delete(CREDENTIALS, githubCredentialId(tenant));
}
