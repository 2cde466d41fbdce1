import { randomBytes, randomUUID } from 'node:crypto';
import type { DriveChannel } from '../../../shared/ingress/index.ts';

/** A channel as the scheduler stores it after `changes.watch`. */
export function driveChannel(overrides: Partial<DriveChannel> = {}): DriveChannel & { id: string } {
  return {
    id: `ch-${randomUUID()}`,
    linkId: `link-${randomUUID().slice(0, 8)}`,
    token: randomBytes(24).toString('base64url'),
    resourceId: `res-${randomUUID().slice(0, 8)}`,
    kind: 'changes',
    expiresAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
    ...overrides,
  };
}

/** The headers Google sends with a push notification for `channel`. */
export function notificationHeaders(
  channel: DriveChannel & { id: string },
  messageNumber: number,
  state = 'change',
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    'x-goog-channel-id': channel.id,
    'x-goog-channel-token': channel.token,
    'x-goog-channel-expiration': new Date(channel.expiresAt).toUTCString(),
    'x-goog-resource-state': state,
    'x-goog-message-number': String(messageNumber),
    'x-goog-resource-id': channel.resourceId,
    'x-goog-resource-uri': 'https://www.googleapis.com/drive/v3/changes?alt=json&pageToken=42',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}
