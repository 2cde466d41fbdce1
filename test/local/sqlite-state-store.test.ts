import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { buildQuery } from '../../shared/adapters/local/sqlite-query.ts';
import type { Query } from '../../shared/ports/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

describe('SQLite state store specifics', () => {
  let dir: { path: string; remove: () => Promise<void> };
  const stores: SqliteStateStore[] = [];
  const open = (
    options: {
      maxTransactionAttempts?: number;
      fieldIndexes?: ReadonlyArray<readonly [string, string]>;
    } = {},
  ) => {
    const store = new SqliteStateStore({ file: join(dir.path, 'state.sqlite'), ...options });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await dir.remove();
  });

  it('answers an equality filter on an indexed field from its index, with the same results as a scan', async () => {
    const indexed = open({ fieldIndexes: [['links', 'repo']] });
    for (let i = 0; i < 50; i++) {
      await indexed.set('links', `l${i}`, { repo: `https://github.com/acme/r${i % 5}`, n: i });
      await indexed.set('other', `o${i}`, { repo: `https://github.com/acme/r${i % 5}` });
    }
    await indexed.set('links', 'no-repo', { n: -1 });
    await indexed.set('links', 'numeric', { repo: 3 });
    const query: Query = { where: [['repo', '==', 'https://github.com/acme/r3']] };
    const found = await indexed.query<{ n: number }>('links', query);
    expect(found.map((d) => d.data.n).sort((a, b) => a - b)).toEqual([3, 8, 13, 18, 23, 28, 33, 38, 43, 48]);
    expect(await indexed.query('links', { where: [['repo', '==', 3]] })).toHaveLength(1);

    const { sql, params } = buildQuery('links', query);
    const db = new DatabaseSync(join(dir.path, 'state.sqlite'));
    try {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX docs_by_links_repo/);
      const other = buildQuery('other', query);
      const scan = db.prepare(`EXPLAIN QUERY PLAN ${other.sql}`).all(...other.params) as Array<{
        detail: string;
      }>;
      expect(scan.map((p) => p.detail).join('\n')).not.toMatch(/docs_by_links_repo/);
    } finally {
      db.close();
    }
  });

  it('refuses a collection name that could not be written into a query', async () => {
    const store = open();
    await expect(store.query("links' OR '1'='1", {})).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('serialises transactions from two connections on one file', async () => {
    const [a, b] = [open(), open()];
    const worker = async (store: SqliteStateStore) => {
      for (let i = 0; i < 15; i++) {
        await store.runTransaction(async (tx) => {
          const doc = await tx.get<{ n: number }>('c', 'counter');
          tx.set('c', 'counter', { n: (doc?.data.n ?? 0) + 1 });
        });
      }
    };
    await Promise.all([worker(a), worker(b), worker(a)]);
    expect((await b.get('c', 'counter'))?.data).toEqual({ n: 45 });
  });

  it('lets one create win across connections', async () => {
    const [a, b] = [open(), open()];
    const results = await Promise.all([a.create('c', 'x', { by: 'a' }), b.create('c', 'x', { by: 'b' })]);
    expect(results.sort()).toEqual([false, true]);
  });

  it('never reuses a version after the file is reopened', async () => {
    const first = open();
    const old = await first.set('c', 'doc', { n: 1 });
    await first.delete('c', 'doc');
    await first.close();
    const version = await open().set('c', 'doc', { n: 2 });
    expect(Number(version)).toBeGreaterThan(Number(old));
  });

  it('gives up with conflict when the documents it read keep changing', async () => {
    const store = open({ maxTransactionAttempts: 3 });
    await store.set('c', 'hot', { n: 0 });
    let runs = 0;
    const outcome = store.runTransaction(async (tx) => {
      runs++;
      await tx.get('c', 'hot');
      await store.set('c', 'hot', { n: runs });
      tx.set('c', 'other', { n: 1 });
    });
    await expect(outcome).rejects.toMatchObject({ code: 'conflict' });
    expect(runs).toBe(3);
    expect(await store.get('c', 'other')).toBeUndefined();
  });

  it('runs the function again when it threw after the documents it read changed', async () => {
    const store = open();
    await store.set('c', 'a', { n: 1 });
    await store.set('c', 'b', { n: 1 });
    let runs = 0;
    const result = await store.runTransaction(async (tx) => {
      runs++;
      const a = await tx.get<{ n: number }>('c', 'a');
      if (runs === 1) {
        await store.set('c', 'a', { n: 2 });
        await store.set('c', 'b', { n: 2 });
      }
      const b = await tx.get<{ n: number }>('c', 'b');
      if (a?.data.n !== b?.data.n) throw new Error('a and b out of step: an inconsistent read');
      return a?.data.n;
    });
    expect({ runs, result }).toEqual({ runs: 2, result: 2 });
  });

  it('refuses reads after writes inside a transaction (as Firestore does)', async () => {
    const store = open();
    await expect(
      store.runTransaction(async (tx) => {
        tx.set('c', 'a', { n: 1 });
        await tx.get('c', 'a');
      }),
    ).rejects.toThrow('reads must come before');
  });

  it.each([
    ['a field that is not a top-level name', { where: [['a.b', '==', 1]] }],
    ['an object value', { where: [['a', '==', { b: 1 }]] }],
    ['in without an array', { where: [['a', 'in', 1]] }],
    ['a range on null', { where: [['a', '<', null]] }],
    ['a negative limit', { limit: -1 }],
    ['an unknown cursor with an ordering', { orderBy: { field: 'a' }, startAfterId: 'nope' }],
  ] as const)('rejects a query with %s as bad_request', async (_label, query) => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed queries
    await expect(open().query('c', query as any)).rejects.toMatchObject({ code: 'bad_request' });
  });
});
