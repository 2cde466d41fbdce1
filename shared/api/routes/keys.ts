import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import { ADMIN_TENANT, RESERVED_TENANT_RULE } from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import {
  type Caller,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  TENANT_FORMAT,
  TENANT_RULE,
} from '../api-keys.ts';
import type { Router } from '../router.ts';
import { readJson } from '../validate.ts';

export const CreateKeyBody = z
  .object({
    tenant: z
      .string()
      .regex(TENANT_FORMAT, { error: TENANT_RULE })
      .refine((tenant) => tenant !== ADMIN_TENANT, { error: RESERVED_TENANT_RULE }),
    tier: z.enum(['standard', 'admin']).optional(),
    name: z.string().max(100).optional(),
  })
  .strict();

function requireAdmin(caller: Caller): void {
  if (!caller.admin) throw new AppError('forbidden', 'Managing API keys needs the admin token');
}

/** API keys (admin only): the full key is shown once at creation; only its hash is stored. */
export function keyRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('POST', '/api/v1/keys', async (req, _p, caller) => {
    requireAdmin(caller);
    const body = await readJson(req, CreateKeyBody);
    const { key, doc } = await createApiKey(ctx.state, { ...body, now: ctx.now() });
    const { hash: _hash, ...shown } = doc;
    return json(201, { ...shown, key });
  });
  router.add('GET', '/api/v1/keys', async (req, _p, caller) => {
    requireAdmin(caller);
    return json(200, { items: await listApiKeys(ctx.state, req.query.get('tenant') ?? undefined) });
  });
  router.add('DELETE', '/api/v1/keys/{id}', async (_req, { id }, caller) => {
    requireAdmin(caller);
    if (!(await revokeApiKey(ctx.state, id ?? '', ctx.now())))
      throw new AppError('not_found', `Key ${id} not found`);
    return { status: 204 };
  });
}
