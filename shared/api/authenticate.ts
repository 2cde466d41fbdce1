import type { AppContext } from '../app/index.ts';
import { AppError } from '../errors/index.ts';
import type { HttpRequest } from '../http/index.ts';
import { SECRETS } from '../ports/index.ts';
import { ADMIN_TENANT } from './admin-tenant.ts';
import { type Caller, hashSecret, sameHash, verifyApiKey } from './api-keys.ts';

export { ADMIN_TENANT } from './admin-tenant.ts';

/** Resolves the bearer token to a caller: the bootstrap admin token, or an API key. */
export async function authenticate(ctx: AppContext, req: HttpRequest): Promise<Caller> {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) {
    throw new AppError('unauthorized', 'Missing bearer token: send Authorization: Bearer <token>', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const presented = m[1];
  const admins = await ctx.secrets.accessEnabled(SECRETS.adminToken);
  const presentedHash = hashSecret(presented);
  // Compare every candidate (no early exit) in constant time per candidate.
  let admin = false;
  for (const candidate of admins) admin = sameHash(presentedHash, hashSecret(candidate.value)) || admin;
  if (admin) return { tenant: ADMIN_TENANT, keyId: 'admin', tier: 'admin', admin: true };
  const caller = await verifyApiKey(ctx.state, presented);
  if (!caller) {
    throw new AppError('unauthorized', 'Invalid or revoked token', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  return caller;
}
