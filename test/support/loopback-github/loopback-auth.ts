import { createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import { GithubHttpError } from './route-types.ts';

/** What a user's token may do in one repository, as GitHub's `permissions` summarize it. */
export type RepoPermission = 'pull' | 'push' | 'admin';

/** A user account's token (OAuth or user-to-server): it reaches only the repositories listed. */
export interface UserAccess {
  /** `'owner/name'` → permission; any other repository is a 404 to this token. */
  repos: Record<string, RepoPermission>;
  /** Epoch ms after which GitHub answers 401 (expiring user-to-server tokens). */
  expiresAt?: number;
}

export interface LoopbackAuthOptions {
  /** Tokens accepted for every repository (PATs). */
  tokens?: string[];
  /** User tokens with per-repository access (a tenant's connected account). */
  users?: Record<string, UserAccess>;
  /** A GitHub App: its JWTs (RS256, signed with the private key of this public key) are verified. */
  app?: { id: number; publicKey: string | KeyObject };
  /** Lifetime of installation tokens (default one hour, as GitHub's). */
  installationTokenTtlMs?: number;
}

export type AuthKind = 'none' | 'token' | 'jwt' | 'installation' | 'user';

export interface AuthResult {
  kind: AuthKind;
  installationId?: number;
  /** For a user token: its access to the repository asked about. */
  permission?: RepoPermission;
  /** For a user token: whether it reaches a repository (GraphQL filters by it). */
  reaches?: (fullName: string) => boolean;
}

/**
 * Authentication as GitHub does it: `token X` / `bearer X` headers, App JWTs only on the App
 * routes, installation tokens only for their installation's repositories. Without options every
 * request is accepted.
 */
export class LoopbackAuth {
  private readonly options: LoopbackAuthOptions | undefined;
  private readonly publicKey: KeyObject | undefined;
  private readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();
  private readonly users = new Map<string, UserAccess>();
  private readonly now: () => Date;
  readonly issuedTokens: Array<{ installationId: number; expiresAt: string }> = [];

  constructor(options: LoopbackAuthOptions | undefined, now: () => Date) {
    this.options = options;
    this.now = now;
    const key = options?.app?.publicKey;
    this.publicKey = key === undefined ? undefined : typeof key === 'string' ? createPublicKey(key) : key;
    for (const [token, access] of Object.entries(options?.users ?? {})) this.setUser(token, access);
  }

  /** Adds or replaces a user token (a token minted by an OAuth flow, or a refreshed one). */
  setUser(token: string, access: UserAccess): void {
    const repos = Object.fromEntries(Object.entries(access.repos).map(([k, v]) => [k.toLowerCase(), v]));
    this.users.set(token, { ...access, repos });
  }

  removeUser(token: string): void {
    this.users.delete(token);
  }

  get appId(): number {
    return this.options?.app?.id ?? 1;
  }

  issueInstallationToken(installationId: number): { token: string; expires_at: string } {
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = this.now().getTime() + (this.options?.installationTokenTtlMs ?? 3_600_000);
    this.installationTokens.set(token, { installationId, expiresAt });
    const expires_at = new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.issuedTokens.push({ installationId, expiresAt: expires_at });
    return { token, expires_at };
  }

  /**
   * Checks a request's credentials; throws GitHub's 401 when they do not fit the route. Without an
   * `installationId` (GraphQL) any valid installation token passes, and the caller filters by
   * the installation it returns.
   */
  check(
    authorization: string | undefined,
    need: { app: true } | { app: false; installationId?: number; repo?: string; write?: boolean },
  ): AuthResult {
    if (!this.options) return { kind: authorization ? 'token' : 'none' };
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new GithubHttpError(401, 'Requires authentication');
    const credential = m[1]!;
    if (need.app) {
      this.verifyJwt(credential);
      return { kind: 'jwt' };
    }
    if (this.options.tokens?.includes(credential)) return { kind: 'token' };
    const user = this.users.get(credential);
    if (user) return this.checkUser(user, need);
    const inst = this.installationTokens.get(credential);
    if (inst && inst.expiresAt > this.now().getTime()) {
      // GitHub answers 404 for a repository outside the installation, not 403.
      if (need.installationId !== undefined && inst.installationId !== need.installationId) {
        throw new GithubHttpError(404, 'Not Found');
      }
      return { kind: 'installation', installationId: inst.installationId };
    }
    throw new GithubHttpError(401, 'Bad credentials');
  }

  /** Which kind of credential a request carries, valid or not (for the request log). */
  kindOf(authorization: string | undefined): AuthKind {
    const credential = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!credential) return 'none';
    if (this.users.has(credential)) return 'user';
    if (this.installationTokens.has(credential)) return 'installation';
    return 'token';
  }

  /** GitHub answers 404 (not 403) for a private repository the user cannot see. */
  private checkUser(user: UserAccess, need: { repo?: string; write?: boolean }): AuthResult {
    if (user.expiresAt !== undefined && user.expiresAt <= this.now().getTime()) {
      throw new GithubHttpError(401, 'Bad credentials');
    }
    const reaches = (fullName: string) => user.repos[fullName.toLowerCase()] !== undefined;
    if (need.repo === undefined) return { kind: 'user', reaches };
    const permission = user.repos[need.repo.toLowerCase()];
    if (!permission) throw new GithubHttpError(404, 'Not Found');
    if (need.write && permission === 'pull') {
      throw new GithubHttpError(403, 'Must have push access to repository');
    }
    return { kind: 'user', permission, reaches };
  }

  private verifyJwt(jwt: string): void {
    const fail = (why: string) => new GithubHttpError(401, `A JSON web token could not be decoded (${why})`);
    if (!this.publicKey) throw fail('no GitHub App configured');
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) throw fail('malformed');
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
    if (alg !== 'RS256') throw fail('alg must be RS256');
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!ok) throw fail('bad signature');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      iss?: unknown;
      iat?: number;
      exp?: number;
    };
    const nowSec = Math.floor(this.now().getTime() / 1000);
    if (String(claims.iss) !== String(this.appId)) throw fail('wrong issuer');
    if (typeof claims.exp !== 'number' || claims.exp <= nowSec) throw fail('expired');
    if (typeof claims.iat !== 'number' || claims.exp - claims.iat > 660) {
      throw fail("'Expiration time' claim ('exp') is too far in the future");
    }
  }
}
