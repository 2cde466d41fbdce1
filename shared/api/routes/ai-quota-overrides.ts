import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { deleteAiQuotaOverride, listAiQuotaOverrides, putAiQuotaOverride } from '../../records/index.ts';
import { type Caller, TENANT_FORMAT, TENANT_RULE } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, readJson } from '../validate.ts';

/** Longest an override may last: a temporary grant, not a tier. */
const MAX_OVERRIDE_MS = 31 * 86_400_000;

export const AiQuotaOverrideBody = z.strictObject({
  /** Requests a day while the override lasts (instead of the tier's). */
  dailyRequests: z.number().int().min(1).max(1_000_000),
  /** When it ends (ISO time, in the future, at most 31 days away). */
  expiresAt: z.iso.datetime({ offset: true }),
  /** Why, for the audit. */
  reason: z.string().trim().min(1).max(500),
});

function requireAdmin(caller: Caller): void {
  if (!caller.admin) throw new AppError('forbidden', 'AI quota overrides need the admin token');
}

/** An admin's temporary AI quota overrides per tenant, each recorded with who granted it and why. */
export function aiQuotaOverrideRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/ai/quota-overrides', async (_req, _p, caller) => {
    requireAdmin(caller);
    return json(200, { items: await listAiQuotaOverrides(ctx.state, ctx.now()) });
  });

  router.add('PUT', '/api/v1/ai/quota-overrides/{tenant}', async (req, { tenant = '' }, caller) => {
    requireAdmin(caller);
    if (!TENANT_FORMAT.test(tenant)) throw fieldError('tenant', TENANT_RULE);
    const body = await readJson(req, AiQuotaOverrideBody);
    const now = ctx.now();
    const until = Date.parse(body.expiresAt);
    if (until <= now.getTime() || until - now.getTime() > MAX_OVERRIDE_MS)
      throw fieldError('expiresAt', 'a time in the future, at most 31 days from now');
    const override = {
      tenant,
      dailyRequests: body.dailyRequests,
      expiresAt: new Date(until).toISOString(),
      reason: body.reason,
      grantedBy: `key ${caller.keyId}`,
      grantedAt: now.toISOString(),
    };
    await putAiQuotaOverride(ctx.state, override);
    ctx.logger.info('AI quota override granted', override);
    return json(200, override);
  });

  router.add('DELETE', '/api/v1/ai/quota-overrides/{tenant}', async (_req, { tenant = '' }, caller) => {
    requireAdmin(caller);
    if (!(await deleteAiQuotaOverride(ctx.state, tenant)))
      throw new AppError('not_found', `No AI quota override for tenant ${tenant}`);
    ctx.logger.info('AI quota override removed', { tenant, removedBy: `key ${caller.keyId}` });
    return { status: 204 };
  });
}
