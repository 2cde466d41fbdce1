export { DRIVE_V2, DRIVE_V3 } from './discovery.ts';
export { validateDiscoveryValue } from './discovery-validator.ts';

export type { FaultSpec } from './faults.ts';
export { applyFieldsMask, parseFieldsMask } from './fields-mask.ts';
export {
  type NotificationReceiver,
  startNotificationReceiver,
} from './notification-receiver.ts';
export {
  type LoopbackDrive,
  startLoopbackDrive,
} from './start-loopback-drive.ts';
