import { driveConfigured } from '../config/index.ts';
import type { AppContext } from '../context/index.ts';
import type { DriveWatchClient } from '../providers/drive/index.ts';
import { driveCircuit } from '../resilience/index.ts';

/**
 * The Drive watch client (channels, the changes feed), or undefined when no Google credentials are
 * configured (same rule as the Drive design provider). Built on the context's first `driveWatch()`.
 */
export async function buildDriveWatch(ctx: AppContext): Promise<DriveWatchClient | undefined> {
  const { config } = ctx;
  if (!driveConfigured(config)) return undefined;
  const { createDriveWatchClient, driveOptionsFromConfig } = await import('../providers/drive/index.ts');
  const options = driveOptionsFromConfig(config);
  const client = createDriveWatchClient({
    ...options,
    logger: ctx.logger.child({ component: 'scheduler' }),
    now: () => ctx.now().getTime(),
    fetch: ctx.metrics.providerFetch('drive'),
  });
  // Behind the Drive host's circuit, as the designs are: with Drive failing, channels and the feed
  // fail fast instead of each waiting out its own timeouts.
  const breaker = ctx.resilience.breaker(driveCircuit(options.rootUrl));
  return {
    getStartPageToken: () => breaker.run(() => client.getStartPageToken()),
    listChanges: (pageToken, page) => breaker.run(() => client.listChanges(pageToken, page)),
    watchChanges: (request) => breaker.run(() => client.watchChanges(request)),
    watchFile: (fileId, request) => breaker.run(() => client.watchFile(fileId, request)),
    stopChannel: (channel) => breaker.run(() => client.stopChannel(channel)),
    callCount: () => client.callCount(),
  };
}
