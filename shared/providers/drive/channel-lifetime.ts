/**
 * Drive caps how long a push channel lives: a changes channel at most one week, a file channel at
 * most one day (https://developers.google.com/workspace/drive/api/guides/push). A longer requested
 * expiration is silently capped, so the watch response's `expiration` is the truth.
 */
export const MAX_CHANGES_CHANNEL_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_FILE_CHANNEL_MS = 24 * 60 * 60 * 1000;

export type ChannelKind = 'changes' | 'file';

export function maxChannelLifetimeMs(kind: ChannelKind): number {
  return kind === 'changes' ? MAX_CHANGES_CHANNEL_MS : MAX_FILE_CHANNEL_MS;
}

/** The expiration (Unix ms) Drive will grant for a request made at `nowMs`. */
export function capChannelExpiration(kind: ChannelKind, requestedMs: number, nowMs: number): number {
  return Math.min(requestedMs, nowMs + maxChannelLifetimeMs(kind));
}

/**
 * True when a channel expires within `marginMs` of `now` (or already has, or its expiry is
 * unreadable): the scheduler then opens a new channel before stopping the old one.
 */
export function channelNeedsRenewal(
  channel: { expiresAt: string | number | Date },
  now: Date | number,
  marginMs: number,
): boolean {
  const expires = new Date(channel.expiresAt).getTime();
  const at = typeof now === 'number' ? now : now.getTime();
  if (!Number.isFinite(expires)) return true;
  return expires - at <= marginMs;
}
