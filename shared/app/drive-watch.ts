import { driveConfigured } from '../config/index.ts';
import type { AppContext } from '../context/index.ts';
import { meteredFetch } from '../metrics/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';

/**
 * The Drive watch client (channels, the changes feed), or undefined when no Google credentials are
 * configured (same rule as the Drive design provider). Built on the context's first `driveWatch()`.
 */
export async function buildDriveWatch(ctx: AppContext): Promise<DriveWatchClient | undefined> {
  const { config } = ctx;
  if (!driveConfigured(config)) return undefined;
  const { createDriveWatchClient, driveOptionsFromConfig } = await import('../providers/drive/index.ts');
  return createDriveWatchClient({
    ...driveOptionsFromConfig(config),
    logger: ctx.logger.child({ component: 'scheduler' }),
    now: () => ctx.now().getTime(),
    fetch: meteredFetch((route, status) => ctx.metrics.providerCall('drive', route, status)),
  });
}
