import { describe, expect, it } from 'vitest';
import { errorCode, type OpenStateStore, useStateStore } from '../support/state-store-harness.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export function stateStoreCrudCases(open: OpenStateStore): void {
  const h = useStateStore(open);

  describe('documents', () => {
    it('returns undefined for a missing document', async () => {
      expect(await h.store().get(h.collection(), 'missing')).toBeUndefined();
    });

    it('stores and returns JSON data exactly, with a version and ISO times', async () => {
      const data = {
        text: 'héllo ✓ "quoted"\nline',
        count: 42,
        ratio: 0.5,
        negative: -7,
        flag: false,
        nothing: null,
        list: [1, 'two', { three: 3 }],
        nested: { deep: { deeper: ['x'] } },
      };
      const version = await h.store().set(h.collection(), 'a', data);
      const doc = await h.store().get(h.collection(), 'a');
      expect(doc).toMatchObject({ id: 'a', data, version });
      expect(typeof doc?.version).toBe('string');
      expect(doc?.createTime).toMatch(ISO);
      expect(doc?.updateTime).toMatch(ISO);
      expect(doc?.expireAt).toBeUndefined();
    });

    it('set replaces the whole document, keeps createTime and changes the version', async () => {
      const v1 = await h.store().set(h.collection(), 'a', { keep: 1, drop: 2 });
      const before = await h.store().get(h.collection(), 'a');
      const v2 = await h.store().set(h.collection(), 'a', { keep: 3 });
      const after = await h.store().get(h.collection(), 'a');
      expect(after?.data).toEqual({ keep: 3 });
      expect(v2).not.toBe(v1);
      expect(after?.version).toBe(v2);
      expect(after?.createTime).toBe(before?.createTime);
    });

    it('keeps collections apart', async () => {
      await h.store().set(h.collection('one'), 'same', { from: 'one' });
      await h.store().set(h.collection('two'), 'same', { from: 'two' });
      expect((await h.store().get(h.collection('one'), 'same'))?.data).toEqual({ from: 'one' });
      expect((await h.store().get(h.collection('two'), 'same'))?.data).toEqual({ from: 'two' });
    });

    it('update replaces an existing document and fails with not_found on a missing one', async () => {
      await h.store().set(h.collection(), 'a', { n: 1, extra: true });
      const version = await h.store().update(h.collection(), 'a', { n: 2 });
      expect(await h.store().get(h.collection(), 'a')).toMatchObject({ data: { n: 2 }, version });
      expect(await errorCode(() => h.store().update(h.collection(), 'nope', { n: 1 }))).toBe('not_found');
      expect(await h.store().get(h.collection(), 'nope')).toBeUndefined();
    });

    it('delete says whether a document was removed', async () => {
      await h.store().set(h.collection(), 'a', { n: 1 });
      expect(await h.store().delete(h.collection(), 'a')).toBe(true);
      expect(await h.store().get(h.collection(), 'a')).toBeUndefined();
      expect(await h.store().delete(h.collection(), 'a')).toBe(false);
    });

    it('ping answers', async () => {
      await expect(h.store().ping()).resolves.toBeUndefined();
    });
  });

  describe('create-if-absent', () => {
    it('creates once, then reports the existing document and leaves it alone', async () => {
      expect(await h.store().create(h.collection(), 'k', { first: true })).toBe(true);
      expect(await h.store().create(h.collection(), 'k', { first: false })).toBe(false);
      expect((await h.store().get(h.collection(), 'k'))?.data).toEqual({ first: true });
    });

    it('lets exactly one of many concurrent creates of one id win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => h.store().create(h.collection(), 'race', { writer: i })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect((await h.store().get(h.collection(), 'race'))?.data).toEqual({ writer: winner });
    });
  });

  describe('versions and preconditions', () => {
    it('gives every write a new version', async () => {
      const versions = new Set<string>();
      await h.store().create(h.collection(), 'a', { n: 0 });
      versions.add((await h.store().get(h.collection(), 'a'))!.version);
      versions.add(await h.store().set(h.collection(), 'a', { n: 1 }));
      versions.add(await h.store().update(h.collection(), 'a', { n: 2 }));
      expect(versions.size).toBe(3);
    });

    it('update with the current version succeeds; with a stale one fails and changes nothing', async () => {
      const v1 = await h.store().set(h.collection(), 'a', { n: 1 });
      const v2 = await h.store().update(h.collection(), 'a', { n: 2 }, { ifVersion: v1 });
      expect(await errorCode(() => h.store().update(h.collection(), 'a', { n: 3 }, { ifVersion: v1 }))).toBe(
        'precondition_failed',
      );
      expect(await h.store().get(h.collection(), 'a')).toMatchObject({ data: { n: 2 }, version: v2 });
    });

    it('delete honours ifVersion', async () => {
      const v1 = await h.store().set(h.collection(), 'a', { n: 1 });
      const v2 = await h.store().set(h.collection(), 'a', { n: 2 });
      expect(await errorCode(() => h.store().delete(h.collection(), 'a', { ifVersion: v1 }))).toBe(
        'precondition_failed',
      );
      expect(await h.store().get(h.collection(), 'a')).toBeDefined();
      expect(await h.store().delete(h.collection(), 'a', { ifVersion: v2 })).toBe(true);
    });

    it('a version of a deleted document does not match the document created again', async () => {
      const old = await h.store().set(h.collection(), 'a', { generation: 1 });
      await h.store().delete(h.collection(), 'a');
      await h.store().create(h.collection(), 'a', { generation: 2 });
      expect(
        await errorCode(() => h.store().update(h.collection(), 'a', { generation: 3 }, { ifVersion: old })),
      ).toBe('precondition_failed');
    });
  });
}
