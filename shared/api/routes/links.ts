import { z } from 'zod';
import { tenantCredentials } from '../../access/index.ts';
import { createLink } from '../../connections/index.ts';
import type { AppContext } from '../../context/index.ts';
import { LinkPolicy } from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { traceIdFromHeaders } from '../../logging/index.ts';
import { COLLECTIONS, forgetHealth, getLink, listLinks, SYNC_DIRECTIONS } from '../../records/index.ts';
import { queueSync } from '../../sync/queue-sync.ts';
import type { Caller } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, paging, readJson, withPageToken } from '../validate.ts';

export const CreateLinkBody = z
  .object({
    repo: z.string().min(1).describe('Repository URL: https://github.com/o/r or file:///path/repo.git'),
    branch: z
      .string()
      .regex(/^(?!\/|.*\.\.|.*\/\/|.*\/$)[\w./-]{1,200}$/, { error: 'a git branch name such as main' })
      .optional(),
    design: z
      .string()
      .min(1)
      .describe(
        'Design URL: https://drive.google.com/file/d/<id>, https://aistudio.google.com/apps/drive/<id> or file:///path/design.json',
      ),
    policy: LinkPolicy.optional(),
  })
  .strict();

export const SyncBody = z
  .object({ direction: z.enum(SYNC_DIRECTIONS).optional(), dryRun: z.boolean().optional() })
  .strict();

export function linkRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('POST', '/api/v1/links', async (req, _p, caller) => {
    const body = await readJson(req, CreateLinkBody);
    const providers = await ctx.providers();
    asField('repo', () => providers.parseRepo(body.repo));
    asField('design', () => providers.parseDesign(body.design));
    // Repository and design only through the tenant's own account or what the admin granted it
    // (403 saying how otherwise).
    const credentials = await tenantCredentials(ctx, { tenant: caller.tenant, ...body });
    const repo = asField('repo', () => providers.resolveRepo(body.repo, credentials));
    const design = asField('design', () => providers.resolveDesign(body.design, credentials));
    const branch = body.branch ?? (await defaultBranchOf(repo.provider));
    const { link, operation } = await createLink(
      ctx,
      { tenant: caller.tenant, repo: repo.url, branch, design: design.url, policy: body.policy },
      'link-created',
    );
    return json(201, { ...link, initialOperationId: operation.id }, { location: `/api/v1/links/${link.id}` });
  });

  router.add('GET', '/api/v1/links', async (req, _p, caller) => {
    const page = paging(req);
    return json(200, await withPageToken(page, () => listLinks(ctx.state, caller.tenant, page)));
  });

  router.add('GET', '/api/v1/links/{id}', async (_req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    return json(200, link.data);
  });

  router.add('DELETE', '/api/v1/links/{id}', async (_req, { id }, caller) => {
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const { disconnectLink, stopLinkChannels } = await import('../../connections/index.ts');
    await stopLinkChannels(ctx, link.id);
    await ctx.state.delete(COLLECTIONS.links, link.id, { ifVersion: link.version });
    await ctx.state.delete(COLLECTIONS.bases, link.id);
    await ctx.state.delete(COLLECTIONS.drift, link.id);
    await forgetHealth(ctx.state, link.id);
    await disconnectLink(ctx, link.data);
    return { status: 204 };
  });

  router.add('POST', '/api/v1/links/{id}/sync', async (req, { id }, caller) => {
    const body = await readJson(req, SyncBody);
    const link = await getLink(ctx.state, caller.tenant, id ?? '');
    const traceId = traceIdFromHeaders(req.headers);
    const operation = await queueSync(ctx, link.data, { trigger: 'api', ...body, traceId });
    return json(
      202,
      { operationId: operation.id, status: operation.status },
      {
        location: `/api/v1/operations/${operation.id}`,
      },
    );
  });
}

/** The registry's URL errors say what is wrong with a URL; the API also says which field held it. */
function asField<T>(field: 'repo' | 'design', resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed')
      throw fieldError(field, err.message, err);
    throw err;
  }
}

/** Without a `branch` the repository's default branch is used; a repository not there is a bad `repo`. */
async function defaultBranchOf(provider: { defaultBranch(): Promise<string> }): Promise<string> {
  try {
    return await provider.defaultBranch();
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') {
      throw fieldError('repo', `${err.message} (or name the branch with "branch")`, err);
    }
    throw err;
  }
}
