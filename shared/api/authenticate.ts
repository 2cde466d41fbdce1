import type { AppContext } from '../context/index.ts';
import { ADMIN_TENANT } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import type { HttpRequest } from '../http/index.ts';
import { SECRETS } from '../ports/index.ts';
import { type Caller, hashSecret, sameHash, verifyApiKey } from './api-keys.ts';
import type { AuthThrottle } from './auth-throttle.ts';

/** One verdict per request: a route that authenticates again gets it without a second lookup or count. */
const verdicts = new WeakMap<HttpRequest, Promise<Caller>>();

/**
 * Resolves the bearer token to a caller: the bootstrap admin token, or an API key. With a throttle, a
 * client that failed too often gets 429 before its token is looked at, and each wrong token counts.
 */
export function authenticate(ctx: AppContext, req: HttpRequest, throttle?: AuthThrottle): Promise<Caller> {
  let verdict = verdicts.get(req);
  if (!verdict) {
    verdict = verify(ctx, req, throttle);
    verdicts.set(req, verdict);
  }
  return verdict;
}

async function verify(
  ctx: AppContext,
  req: HttpRequest,
  throttle: AuthThrottle | undefined,
): Promise<Caller> {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) {
    throw new AppError('unauthorized', 'Missing bearer token: send Authorization: Bearer <token>', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  throttle?.check(req.clientAddress);
  const caller = await lookUp(ctx, m[1]);
  if (!caller) {
    throttle?.fail(req.clientAddress);
    throw new AppError('unauthorized', 'Invalid or revoked token', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  return caller;
}

async function lookUp(ctx: AppContext, presented: string): Promise<Caller | undefined> {
  const admins = await ctx.secrets.accessEnabled(SECRETS.adminToken);
  const presentedHash = hashSecret(presented);
  // Compare every candidate (no early exit) in constant time per candidate.
  let admin = false;
  for (const candidate of admins) admin = sameHash(presentedHash, hashSecret(candidate.value)) || admin;
  if (admin) return { tenant: ADMIN_TENANT, keyId: 'admin', tier: 'admin', admin: true };
  return verifyApiKey(ctx.state, presented);
}
