import type { DesignProvider } from '../ports/index.ts';
import { designScope, guardDesignProvider, resilienceFor } from '../resilience/index.ts';
import type { AppContext } from './context.ts';

/**
 * Drive designs need Google credentials: an access token (GOOGLE_ACCESS_TOKEN), or Application
 * Default Credentials (on GCP always; locally when GOOGLE_APPLICATION_CREDENTIALS is set).
 * Each provider sits behind the Drive host's circuit breaker.
 */
export async function driveFactory(
  ctx: AppContext,
): Promise<((d: { fileId: string }) => DesignProvider) | undefined> {
  const { config } = ctx;
  const hasAdc = config.BRIDGE_BACKEND === 'gcp' || Boolean(config.GOOGLE_APPLICATION_CREDENTIALS);
  if (!config.GOOGLE_ACCESS_TOKEN && !hasAdc && !config.DRIVE_API_ROOT_URL) return undefined;
  const { createDriveDesignProvider, driveOptionsFromConfig } = await import('../providers/drive/index.ts');
  const options = driveOptionsFromConfig(config);
  const logger = ctx.logger.child({ provider: 'drive' });
  const kit = resilienceFor(ctx);
  const host = new URL(options.rootUrl ?? 'https://www.googleapis.com').host;
  const key = `drive:${host}`;
  const breaker = kit.breaker(key);
  return ({ fileId }) => {
    kit.noteScope(key, designScope(fileId)); // a tenant's health shows the circuit of its own designs
    return guardDesignProvider(createDriveDesignProvider({ fileId, ...options, logger }), {
      breaker,
      deadlineMs: kit.settings.callDeadlineMs,
    });
  };
}
