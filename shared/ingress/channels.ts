import { z } from 'zod';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS } from '../records/index.ts';

/**
 * A Drive watch channel we created (document id = channel id). `changes` channels watch a Drive's
 * changes feed (at most 1 week), `file` channels one file (at most 1 day); the scheduler renews them
 * before `expiresAt`.
 */
export const DriveChannel = z.object({
  linkId: z.string().min(1),
  /** Random secret echoed by Google in `X-Goog-Channel-Token`; compared in constant time. */
  token: z.string().min(1),
  /** Google's id of the watched resource (from the watch response; empty until it is known). */
  resourceId: z.string(),
  kind: z.enum(['changes', 'file']),
  /** ISO 8601 instant (stored normalised by `toISOString`, so it sorts and compares as a string). */
  expiresAt: z.iso.datetime({ offset: true }),
});
export type DriveChannel = z.infer<typeof DriveChannel>;

export async function saveChannel(
  state: StateStore,
  channelId: string,
  channel: DriveChannel,
): Promise<void> {
  const parsed = DriveChannel.parse(channel);
  await state.set(COLLECTIONS.channels, channelId, {
    ...parsed,
    expiresAt: new Date(parsed.expiresAt).toISOString(),
  });
}

export async function getChannel(state: StateStore, channelId: string): Promise<DriveChannel | undefined> {
  if (!channelId) return undefined;
  const doc = await state.get(COLLECTIONS.channels, channelId);
  if (!doc) return undefined;
  const parsed = DriveChannel.safeParse(doc.data);
  return parsed.success ? parsed.data : undefined;
}

/** True when a channel document was deleted. */
export async function deleteChannel(state: StateStore, channelId: string): Promise<boolean> {
  return state.delete(COLLECTIONS.channels, channelId);
}

/**
 * Channels (with their ids), soonest expiry first: all, one link's, or those expiring before an
 * instant (one single-field filter per query, so Firestore needs no composite index).
 */
export async function listChannels(
  state: StateStore,
  filter: { linkId?: string; expiringBefore?: Date } = {},
): Promise<Array<DriveChannel & { id: string }>> {
  const before = filter.expiringBefore?.toISOString();
  const docs = filter.linkId
    ? await state.query(COLLECTIONS.channels, { where: [['linkId', '==', filter.linkId]] })
    : await state.query(COLLECTIONS.channels, before ? { where: [['expiresAt', '<', before]] } : {});
  const out: Array<DriveChannel & { id: string }> = [];
  for (const doc of docs) {
    const parsed = DriveChannel.safeParse(doc.data);
    if (!parsed.success) continue;
    if (before && parsed.data.expiresAt >= before) continue;
    out.push({ id: doc.id, ...parsed.data });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}
