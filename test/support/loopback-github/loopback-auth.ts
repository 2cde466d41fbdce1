import { createPublicKey, type KeyObject, randomBytes, verify } from 'node:crypto';
import { GithubHttpError } from './route-types.ts';

export interface LoopbackAuthOptions {
  /** Tokens accepted for every repository (PATs). */
  tokens?: string[];
  /** A GitHub App: its JWTs (RS256, signed with the private key of this public key) are verified. */
  app?: { id: number; publicKey: string | KeyObject };
  /** Lifetime of installation tokens (default one hour, as GitHub's). */
  installationTokenTtlMs?: number;
}

export type AuthKind = 'none' | 'token' | 'jwt' | 'installation';

/**
 * Authentication as GitHub does it: `token X` / `bearer X` headers, App JWTs only on the App
 * routes, installation tokens only for their installation's repositories. Without options every
 * request is accepted.
 */
export class LoopbackAuth {
  private readonly options: LoopbackAuthOptions | undefined;
  private readonly publicKey: KeyObject | undefined;
  private readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();
  private readonly now: () => Date;
  readonly issuedTokens: Array<{ installationId: number; expiresAt: string }> = [];

  constructor(options: LoopbackAuthOptions | undefined, now: () => Date) {
    this.options = options;
    this.now = now;
    const key = options?.app?.publicKey;
    this.publicKey = key === undefined ? undefined : typeof key === 'string' ? createPublicKey(key) : key;
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
    need: { app: true } | { app: false; installationId?: number },
  ): { kind: AuthKind; installationId?: number } {
    if (!this.options) return { kind: authorization ? 'token' : 'none' };
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) throw new GithubHttpError(401, 'Requires authentication');
    const credential = m[1]!;
    if (need.app) {
      this.verifyJwt(credential);
      return { kind: 'jwt' };
    }
    if (this.options.tokens?.includes(credential)) return { kind: 'token' };
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
