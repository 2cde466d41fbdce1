export type { LoopbackChannel, NotificationRecord, ResourceState } from './channel-registry.ts';
export { type DiscoveryDocument, type DiscoverySchema, DRIVE_V2, DRIVE_V3 } from './discovery.ts';
export { validateDiscoveryValue } from './discovery-validator.ts';
export type { FileSeed, LoopbackFile } from './drive-state.ts';
export type { FaultHandle, FaultSpec } from './faults.ts';
export { applyFieldsMask, parseFieldsMask } from './fields-mask.ts';
export {
  type NotificationReceiver,
  type ReceivedNotification,
  startNotificationReceiver,
} from './notification-receiver.ts';
export {
  type LoggedRequest,
  type LoopbackDrive,
  type LoopbackDriveOptions,
  startLoopbackDrive,
} from './start-loopback-drive.ts';
