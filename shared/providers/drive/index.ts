export {
  type ChannelKind,
  capChannelExpiration,
  channelNeedsRenewal,
  MAX_CHANGES_CHANNEL_MS,
  MAX_FILE_CHANNEL_MS,
  maxChannelLifetimeMs,
} from './channel-lifetime.ts';
export { DRIVE_SCOPE, type DriveAuth, driveAuthFromConfig, driveOptionsFromConfig } from './drive-api.ts';
export { createDriveDesignProvider, type DriveDesignProviderOptions } from './drive-design-provider.ts';
export { toDriveAppError } from './drive-errors.ts';
export { type DriveParentsOptions, readDriveParents } from './drive-parents.ts';
export {
  type DriveRevision,
  driveRevisionVersion,
  formatDriveRevision,
  parseDriveRevision,
} from './drive-revision.ts';
export {
  createDriveWatchClient,
  type DriveWatchClient,
  type DriveWatchClientOptions,
  type WatchedChannel,
  type WatchRequest,
} from './drive-watch.ts';
export {
  type ChangePage,
  type ChangePageSource,
  type DriveChange,
  processChangePages,
} from './process-change-pages.ts';
