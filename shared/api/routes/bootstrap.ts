import { z } from 'zod';
import { cancelBootstrap, startBootstrap } from '../../bootstrap/index.ts';
import type { AppContext } from '../../context/index.ts';
import { json } from '../../http/index.ts';
import { getBootstrapJob, getLink } from '../../records/index.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { readJson } from '../validate.ts';

export const BootstrapBody = z
  .object({
    model: z
      .boolean()
      .optional()
      .describe('Let a configured AI provider enrich the proposal (default true); false: manifests alone.'),
  })
  .strict();

/**
 * Bootstrapping a link from its repository: queue (202, the job), read its progress, cancel it.
 * A link of another tenant is 404, as everywhere.
 */
export function bootstrapRoutes(router: Router<Caller>, ctx: AppContext): void {
  const location = (id: string) => ({ location: `/api/v1/links/${id}/bootstrap` });

  router.add('POST', '/api/v1/links/{id}/bootstrap', async (req, { id }, caller) => {
    const body = await readJson(req, BootstrapBody);
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const job = await startBootstrap(ctx, { ...link.data, id: link.id }, caller, {
      model: body.model ?? true,
    });
    return json(202, job, location(link.id));
  });

  router.add('GET', '/api/v1/links/{id}/bootstrap', async (_req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const job = await getBootstrapJob(ctx.state, link.id);
    // No job yet is an ordinary answer (the link page asks on every visit), not an error.
    return job ? json(200, job) : { status: 204 };
  });

  router.add('POST', '/api/v1/links/{id}/bootstrap/cancel', async (_req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    return json(202, await cancelBootstrap(ctx, link.id), location(link.id));
  });
}
