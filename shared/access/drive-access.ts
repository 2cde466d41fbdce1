import { driveConfigured } from '../config/index.ts';
import type { AppContext } from '../context/index.ts';
import { type AccessVerdict, decideDriveAccess, needsDriveParents } from '../domain/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import { driveCircuit } from '../resilience/index.ts';
import type { TenantGrants } from './grant-model.ts';
import { grantedValues } from './grants-store.ts';

/**
 * Whether the bridge's own Google credentials may serve a tenant's Drive design: the admin tenant,
 * a granted file, or a file Drive lists in a granted folder. Drive is asked (for the parents only)
 * just when a folder grant could decide, so a tenant without grants never makes the bridge touch
 * the file.
 */
export async function driveVerdict(
  ctx: AppContext,
  link: { tenant: string; fileId: string; admin: boolean },
  grants: () => Promise<TenantGrants>,
): Promise<AccessVerdict> {
  const { tenant, fileId, admin } = link;
  if (admin) return decideDriveAccess({ tenant, admin, fileId, grantedFiles: [], grantedFolders: [] });
  const granted = await grants();
  const facts = {
    tenant,
    admin,
    fileId,
    grantedFiles: grantedValues(granted, 'drive-file'),
    grantedFolders: grantedValues(granted, 'drive-folder'),
  };
  const parents = needsDriveParents(facts) ? await parentsOf(ctx, fileId) : undefined;
  return decideDriveAccess({ ...facts, parents });
}

async function parentsOf(ctx: AppContext, fileId: string): Promise<string[]> {
  // Without Google credentials the design cannot be served anyway: nothing to ask.
  if (!driveConfigured(ctx.config)) return [];
  const { driveOptionsFromConfig, readDriveParents } = await import('../providers/drive/index.ts');
  const options = driveOptionsFromConfig(ctx.config);
  // Behind the Drive host's circuit, like every other Drive call, and counted like them.
  const breaker = ctx.resilience.breaker(driveCircuit(options.rootUrl));
  try {
    return await breaker.run(() =>
      readDriveParents({
        fileId,
        ...options,
        logger: ctx.logger.child({ provider: 'drive' }),
        timeoutMs: ctx.resilience.settings.requestTimeoutMs,
        fetch: ctx.metrics.providerFetch('drive'),
      }),
    );
  } catch (err) {
    // A 401 is about the bridge's own Google credentials, not the caller's token: not an API 401.
    if (isAppError(err) && err.code === 'unauthorized') {
      throw new AppError(
        'upstream_failed',
        'Google rejected the bridge’s credentials while checking which folder holds the design',
        { cause: err },
      );
    }
    throw err;
  }
}
