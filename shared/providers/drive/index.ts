export {
  type ChannelKind,
  channelNeedsRenewal,
  MAX_CHANGES_CHANNEL_MS,
  MAX_FILE_CHANNEL_MS,
} from './channel-lifetime.ts';
export { driveAuthFromConfig, driveOptionsFromConfig } from './drive-api.ts';
export { createDriveDesignProvider } from './drive-design-provider.ts';

export { readDriveParents } from './drive-parents.ts';
export {
  driveRevisionVersion,
  parseDriveRevision,
} from './drive-revision.ts';
export {
  createDriveWatchClient,
  type DriveWatchClient,
} from './drive-watch.ts';
export {
  type ChangePage,
  type DriveChange,
  processChangePages,
} from './process-change-pages.ts';
