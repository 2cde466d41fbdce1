import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteChannel, getChannel, listChannels, saveChannel } from '../../shared/ingress/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { driveChannel } from './support/drive-notification.ts';
import { tempStateStore } from './support/state-store.ts';

describe('channel helpers', () => {
  let store: ReturnType<typeof tempStateStore>;
  beforeEach(() => {
    store = tempStateStore();
  });
  afterEach(() => store.close());

  it('saves, reads, lists and deletes channels', async () => {
    const a = driveChannel({ linkId: 'l1', expiresAt: '2025-01-02T00:00:00+00:00' });
    const b = driveChannel({ linkId: 'l1', expiresAt: '2025-01-01T12:00:00.000Z', kind: 'file' });
    const c = driveChannel({ linkId: 'l2', expiresAt: '2025-01-08T00:00:00.000Z' });
    for (const { id, ...doc } of [a, b, c]) await saveChannel(store.state, id, doc);

    const { id: _id, ...aDoc } = a;
    expect(await getChannel(store.state, a.id)).toEqual({ ...aDoc, expiresAt: '2025-01-02T00:00:00.000Z' });
    expect((await listChannels(store.state, { linkId: 'l1' })).map((ch) => ch.id)).toEqual([b.id, a.id]);
    expect(
      (await listChannels(store.state, { expiringBefore: new Date('2025-01-03T00:00:00Z') })).map(
        (ch) => ch.id,
      ),
    ).toEqual([b.id, a.id]);
    expect((await listChannels(store.state)).map((ch) => ch.id)).toEqual([b.id, a.id, c.id]);

    expect(await deleteChannel(store.state, a.id)).toBe(true);
    expect(await deleteChannel(store.state, a.id)).toBe(false);
    expect(await getChannel(store.state, a.id)).toBeUndefined();
  });

  it('refuses an invalid channel and treats an unreadable stored one as absent', async () => {
    const { id, ...doc } = driveChannel();
    await expect(saveChannel(store.state, id, { ...doc, token: '' })).rejects.toThrow();
    await expect(saveChannel(store.state, id, { ...doc, expiresAt: 'tomorrow' })).rejects.toThrow();
    await store.state.set(COLLECTIONS.channels, 'broken', { linkId: 'x' });
    expect(await getChannel(store.state, 'broken')).toBeUndefined();
    expect(await getChannel(store.state, '')).toBeUndefined();
  });
});
