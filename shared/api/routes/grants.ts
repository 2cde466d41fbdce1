import {
  changeGrant,
  GRANT_PATH_KINDS,
  type GrantPathKind,
  listGrants,
  readGrants,
  refusedLinks,
} from '../../access/index.ts';
import type { AppContext } from '../../context/index.ts';
import { ADMIN_TENANT, normalizeGrantValue } from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import { type Caller, TENANT_FORMAT, TENANT_RULE } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError } from '../validate.ts';

function requireAdmin(caller: Caller): void {
  if (!caller.admin) throw new AppError('forbidden', 'Managing grants needs the admin token');
}

function tenantOf(params: Record<string, string>): string {
  const tenant = params.tenant ?? '';
  if (!TENANT_FORMAT.test(tenant)) throw fieldError('tenant', TENANT_RULE);
  if (tenant === ADMIN_TENANT) {
    throw fieldError(
      'tenant',
      `"${ADMIN_TENANT}" is the admin tenant: the bridge's own credentials serve it`,
    );
  }
  return tenant;
}

function grantOf(params: Record<string, string>) {
  const path = params.kind ?? '';
  if (!Object.hasOwn(GRANT_PATH_KINDS, path)) {
    throw fieldError('kind', `one of ${Object.keys(GRANT_PATH_KINDS).join(', ')}`);
  }
  const kind = GRANT_PATH_KINDS[path as GrantPathKind];
  const normalized = normalizeGrantValue(kind, params.value ?? '');
  if (!normalized.ok) throw fieldError('value', normalized.reason);
  return { kind, value: normalized.value };
}

/**
 * Grants (admin only): which GitHub owners, App installations, local folders and Google Drive files
 * or folders a tenant may reach through the bridge's own credentials, each recorded with who granted
 * it and when.
 */
export function grantRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/grants', async (_req, _p, caller) => {
    requireAdmin(caller);
    return json(200, { items: await listGrants(ctx) });
  });

  router.add('GET', '/api/v1/tenants/{tenant}/grants', async (_req, params, caller) => {
    requireAdmin(caller);
    return json(200, await readGrants(ctx, tenantOf(params)));
  });

  router.add('PUT', '/api/v1/tenants/{tenant}/grants/{kind}/{value}', async (_req, params, caller) => {
    requireAdmin(caller);
    const tenant = tenantOf(params);
    const { changed, grants } = await changeGrant(ctx, {
      tenant,
      ...grantOf(params),
      by: caller.keyId,
      action: 'granted',
    });
    if (changed) ctx.logger.info('grant added', { tenant, kind: params.kind, by: caller.keyId });
    return json(changed ? 201 : 200, grants);
  });

  router.add('DELETE', '/api/v1/tenants/{tenant}/grants/{kind}/{value}', async (_req, params, caller) => {
    requireAdmin(caller);
    const tenant = tenantOf(params);
    const grant = grantOf(params);
    const { changed, grants } = await changeGrant(ctx, {
      tenant,
      ...grant,
      by: caller.keyId,
      action: 'revoked',
    });
    if (!changed)
      throw new AppError('not_found', `Tenant ${tenant} has no ${grant.kind} grant of ${grant.value}`);
    ctx.logger.info('grant revoked', { tenant, kind: params.kind, by: caller.keyId });
    return json(200, grants);
  });

  router.add('GET', '/api/v1/access/refused-links', async (_req, _p, caller) => {
    if (!caller.admin)
      throw new AppError('forbidden', 'The access report spans every tenant; use the admin token');
    return json(200, await refusedLinks(ctx));
  });
}
