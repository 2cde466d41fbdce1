import type { AppContext } from '../../context/index.ts';
import { json } from '../../http/index.ts';
import { getLink } from '../../records/index.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { suggestConflict } from '../suggest-conflict.ts';

/**
 * `GET /api/v1/links/{id}/conflicts/{cid}/suggestion`: a suggested resolution of an open conflict,
 * never applied here (a person applies it with POST …/resolve). The link is looked up for the
 * caller's tenant first, so another tenant's conflict is 404 like any conflict route.
 */
export function conflictSuggestionRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/links/{id}/conflicts/{cid}/suggestion', async (_req, { id, cid }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    return json(200, await suggestConflict(ctx, caller, link, cid ?? ''));
  });
}
