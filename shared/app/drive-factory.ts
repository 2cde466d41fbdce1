import { driveConfigured } from '../config/index.ts';
import type { AppContext } from '../context/index.ts';
import { AppError } from '../errors/index.ts';
import type { DesignProvider } from '../ports/index.ts';
import type { TenantCredentials } from '../providers/index.ts';
import { designScope, driveCircuit, guardDesignProvider } from '../resilience/index.ts';

/**
 * Drive designs need Google credentials: an access token (GOOGLE_ACCESS_TOKEN), or Application
 * Default Credentials (on GCP always; locally when GOOGLE_APPLICATION_CREDENTIALS is set).
 * They are the bridge's own, reaching every file shared with it, so they serve a link only where
 * shared/access says they may (`credentials.drive`: the admin tenant, or a Drive grant).
 * Each provider sits behind the Drive host's circuit breaker (driveCircuit).
 */
export async function driveFactory(
  ctx: AppContext,
): Promise<((d: { fileId: string }, credentials?: TenantCredentials) => DesignProvider) | undefined> {
  const { config } = ctx;
  if (!driveConfigured(config)) return undefined;
  const { createDriveDesignProvider, driveOptionsFromConfig } = await import('../providers/drive/index.ts');
  const options = driveOptionsFromConfig(config);
  const logger = ctx.logger.child({ provider: 'drive' });
  const kit = ctx.resilience;
  const key = driveCircuit(options.rootUrl);
  const breaker = kit.breaker(key);
  const fetch = ctx.metrics.providerFetch('drive');
  return ({ fileId }, credentials) => {
    if (!credentials?.drive) {
      throw new AppError('forbidden', `No credentials this tenant may use reach Drive file ${fileId}`);
    }
    kit.noteScope(key, designScope(fileId)); // a tenant's health shows the circuit of its own designs
    return guardDesignProvider(createDriveDesignProvider({ fileId, ...options, logger, fetch }), {
      breaker,
      deadlineMs: kit.settings.callDeadlineMs,
    });
  };
}
