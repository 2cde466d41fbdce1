import type { AppContext } from '../app/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';

const clients = new WeakMap<AppContext, Promise<DriveWatchClient | undefined>>();

/**
 * The Drive watch client for this context, or undefined when no Google credentials are configured
 * (same rule as the Drive design provider: an access token, ADC on GCP or via
 * GOOGLE_APPLICATION_CREDENTIALS, or a Drive API root such as a loopback server).
 */
export function driveWatchFor(ctx: AppContext): Promise<DriveWatchClient | undefined> {
  let client = clients.get(ctx);
  if (!client) {
    client = build(ctx);
    clients.set(ctx, client);
  }
  return client;
}

async function build(ctx: AppContext): Promise<DriveWatchClient | undefined> {
  const { config } = ctx;
  const hasAdc = config.BRIDGE_BACKEND === 'gcp' || Boolean(config.GOOGLE_APPLICATION_CREDENTIALS);
  if (!config.GOOGLE_ACCESS_TOKEN && !hasAdc && !config.DRIVE_API_ROOT_URL) return undefined;
  const { createDriveWatchClient, driveOptionsFromConfig } = await import('../providers/drive/index.ts');
  return createDriveWatchClient({
    ...driveOptionsFromConfig(config),
    logger: ctx.logger.child({ component: 'scheduler' }),
    now: () => ctx.now().getTime(),
  });
}
