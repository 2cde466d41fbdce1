import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firestoreDocumentSize } from '../../shared/adapters/gcp/firestore-size.ts';
import { FirestoreStateStore } from '../../shared/adapters/gcp/firestore-state-store.ts';
import { MAX_DOCUMENT_BYTES } from '../../shared/ports/index.ts';
import { startTestFirestore, type TestFirestore } from './support/test-firestore.ts';

let emulator: TestFirestore;
let store: FirestoreStateStore;
beforeAll(async () => {
  emulator = await startTestFirestore();
  store = new FirestoreStateStore({ firestore: emulator.client(), collectionPrefix: 'specifics-' });
});
afterAll(async () => {
  await store.close();
  await emulator.stop();
});

describe('FirestoreStateStore specifics', () => {
  it('round-trips nested arrays (which Firestore cannot store as such) and maps that look like its wrappers', async () => {
    const data = {
      matrix: [
        [1, 2],
        [[3], []],
      ],
      tricky: [{ '~array': [1] }, { '~map': { a: 1 } }, { '~array': 1, other: 2 }],
      plain: { '~array': 'top-level maps are stored as they are' },
    };
    await store.set('docs', 'nested', data);
    expect((await store.get('docs', 'nested'))?.data).toEqual(data);
  });

  it.each(['a/b', '.', '..', '__reserved__', '100%', '%2F'])('keeps the id %j as given', async (id) => {
    await store.set('ids', id, { id });
    expect(await store.get('ids', id)).toMatchObject({ id, data: { id } });
    expect((await store.query('ids')).map((d) => d.id)).toContain(id);
  });

  it('stores expireAt as a Firestore Timestamp in field expireAt (the TTL policy field), null when none', async () => {
    const expireAt = new Date('2031-05-06T07:08:09.010Z');
    await store.set('ttl', 'a', { n: 1 }, { expireAt });
    await store.set('ttl', 'b', { n: 2 });
    const raw = emulator.client();
    const a = await raw.doc('specifics-ttl/a').get();
    expect(a.get('expireAt')?.toDate()).toEqual(expireAt);
    expect((await raw.doc('specifics-ttl/b').get()).get('expireAt')).toBeNull();
    expect(a.get('data')).toEqual({ n: 1 });
  });

  it('answers precondition_failed for a version string it never produced', async () => {
    await store.set('docs', 'v', { n: 1 });
    await expect(store.update('docs', 'v', { n: 2 }, { ifVersion: '7' })).rejects.toMatchObject({
      code: 'precondition_failed',
    });
    await expect(store.update('docs', 'missing', { n: 2 }, { ifVersion: '7' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a body within the JSON limit that Firestore would count over its own 1 MiB', async () => {
    // 150,000 small numbers: about 300 KB of JSON, 1.2 MB as Firestore counts (8 bytes each).
    const data = { samples: Array.from({ length: 150_000 }, (_, i) => i % 10) };
    expect(Buffer.byteLength(JSON.stringify(data))).toBeLessThan(MAX_DOCUMENT_BYTES);
    const refused = await store.set('docs', 'numbers', data).catch((err: unknown) => err);
    expect(refused).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringMatching(/docs\/numbers.*1048576/),
    });
    expect(await store.get('docs', 'numbers')).toBeUndefined();
  });

  it('counts a document the way Firestore documents it', () => {
    // name: "c" (2) + "d" (2) + 16; fields: "data" (5) + map {"s": "ab"} (2 + 3) + "expireAt" (9) + null (1); + 32.
    expect(firestoreDocumentSize('c/d', { data: { s: 'ab' }, expireAt: null })).toBe(
      2 + 2 + 16 + 5 + 5 + 9 + 1 + 32,
    );
    expect(firestoreDocumentSize('c/d', { data: { n: 1, t: true, l: [1, 'é'] } })).toBe(
      20 + 32 + 5 + 2 + 8 + 2 + 1 + 2 + 8 + 3,
    );
  });
});
