import type { AppContext } from '../../context/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { listAiCalls } from '../../records/index.ts';
import { type Caller, TENANT_FORMAT, TENANT_RULE } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, paging, withPageToken } from '../validate.ts';

/** `GET /api/v1/ai/calls`: the AI call audit, newest first; a tenant sees its own, the admin all (or `?tenant=`). */
export function aiCallRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/ai/calls', async (req, _p, caller) => {
    const asked = req.query.get('tenant') ?? undefined;
    if (asked !== undefined && !TENANT_FORMAT.test(asked)) throw fieldError('tenant', TENANT_RULE);
    if (!caller.admin && asked !== undefined && asked !== caller.tenant) {
      throw new AppError('forbidden', 'A tenant sees its own AI calls only; use the admin token for others');
    }
    const tenant = caller.admin ? asked : caller.tenant;
    const page = paging(req);
    return json(200, await withPageToken(page, () => listAiCalls(ctx.state, tenant, page)));
  });
}
