import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventBus, SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { buildQuery, fieldIndexSql } from '../../shared/adapters/local/sqlite-query.ts';
import type { Query } from '../../shared/ports/index.ts';
import { tempDir } from '../contract/support/temp-dir.ts';

/** The document table as files made before the rowid layout hold it (the body inline in the key's B-tree). */
const WITHOUT_ROWID_SCHEMA = `
CREATE TABLE docs (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  create_time TEXT NOT NULL,
  update_time TEXT NOT NULL,
  expire_at TEXT,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;
CREATE INDEX docs_expire ON docs (collection, expire_at) WHERE expire_at IS NOT NULL;
CREATE TABLE doc_version_seq (one INTEGER PRIMARY KEY CHECK (one = 1), value INTEGER NOT NULL);
INSERT INTO doc_version_seq (one, value) VALUES (1, 41);
`;

const ROWS = [
  ['links', 'l1', { repo: 'https://github.com/acme/a', n: 1 }, 7, null],
  ['links', 'l2', { repo: 'https://github.com/acme/b', n: 2 }, 8, null],
  ['api-keys', 'k0', { pad: 'x'.repeat(3 * 1024 * 1024) }, 9, null],
  ['api-keys', 'k1', { tenant: 'acme' }, 10, null],
  ['idempotency', 'old', { seen: true }, 41, '2000-01-01T00:00:00.000Z'],
] as const;

function lookupPlan(file: string): string {
  const db = new DatabaseSync(file);
  try {
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT data FROM docs WHERE collection = ? AND id = ?')
      .all('api-keys', 'k1') as Array<{ detail: string }>;
    return plan.map((p) => p.detail).join('\n');
  } finally {
    db.close();
  }
}

function layout(file: string): { withoutRowid: boolean; indexes: string[] } {
  const db = new DatabaseSync(file);
  try {
    const table = db
      .prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = 'docs'")
      .get() as {
      wr: number;
    };
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docs' AND sql IS NOT NULL",
      )
      .all() as Array<{ name: string }>;
    return { withoutRowid: table.wr === 1, indexes: indexes.map((i) => i.name).sort() };
  } finally {
    db.close();
  }
}

describe('the document table keeps a key lookup apart from large bodies', () => {
  let dir: { path: string; remove: () => Promise<void> };
  let file: string;
  const opened: Array<{ close(): Promise<void> }> = [];
  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir.path, 'bridge.sqlite');
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    await dir.remove();
  });
  const openStore = () => {
    const store = new SqliteStateStore({ file, fieldIndexes: [['links', 'repo']] });
    opened.push(store);
    return store;
  };

  function writeOldFile(): void {
    const db = new DatabaseSync(file);
    db.exec(WITHOUT_ROWID_SCHEMA);
    db.exec(fieldIndexSql('links', 'repo'));
    const insert = db.prepare(
      'INSERT INTO docs (collection, id, data, version, create_time, update_time, expire_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const [collection, id, data, version, expireAt] of ROWS) {
      insert.run(collection, id, JSON.stringify(data), version, `c-${id}`, `u-${id}`, expireAt);
    }
    db.close();
  }

  it('a new file is a rowid table whose key lookup searches an index, not the table B-tree', async () => {
    await openStore().set('api-keys', 'k1', { tenant: 'acme' });
    expect(layout(file).withoutRowid).toBe(false);
    expect(lookupPlan(file)).toMatch(/USING INDEX sqlite_autoindex_docs/);
  });

  it('a file of the old layout is migrated at open, keeping every document, version, time and index', async () => {
    writeOldFile();
    expect(layout(file).withoutRowid).toBe(true);
    expect(lookupPlan(file)).toMatch(/USING PRIMARY KEY/);

    const store = openStore();
    expect(layout(file)).toEqual({
      withoutRowid: false,
      indexes: ['docs_by_links_repo', 'docs_expire'],
    });
    expect(lookupPlan(file)).toMatch(/USING INDEX sqlite_autoindex_docs/);
    for (const [collection, id, data, version, expireAt] of ROWS) {
      expect(await store.get(collection, id)).toEqual({
        id,
        data,
        version: String(version),
        createTime: `c-${id}`,
        updateTime: `u-${id}`,
        ...(expireAt ? { expireAt } : {}),
      });
    }
    expect(Number(await store.set('links', 'l3', { repo: 'x' }))).toBe(42);
    const query: Query = { where: [['repo', '==', 'https://github.com/acme/b']] };
    const found = await store.query<{ n: number }>('links', query);
    expect(found.map((d) => d.data.n)).toEqual([2]);
    // The field index is made again in the form a rowid table needs: the filter still reads it.
    const built = buildQuery('links', query);
    const db = new DatabaseSync(file);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(...built.params) as Array<{
      detail: string;
    }>;
    db.close();
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/USING INDEX docs_by_links_repo/);
    expect(await store.purgeExpired('idempotency', new Date())).toBe(1);
    await expect(store.create('links', 'l1', { again: true })).resolves.toBe(false);
  });

  it('the bus may open an old file first: it migrates it, and the store then finds it done', async () => {
    writeOldFile();
    const bus = new SqliteEventBus({ file });
    opened.push(bus);
    await bus.publishIfCreated(
      { collection: 'deliveries', id: 'd1', data: () => ({ at: 'now' }) },
      'github-events',
      { n: 1 },
    );
    expect(layout(file)).toEqual({ withoutRowid: false, indexes: ['docs_expire'] });
    const store = openStore();
    expect(layout(file).indexes).toEqual(['docs_by_links_repo', 'docs_expire']);
    expect((await store.get('api-keys', 'k1'))?.data).toEqual({ tenant: 'acme' });
    expect((await store.get('links', 'l2'))?.version).toBe('8');
    expect((await store.get('deliveries', 'd1'))?.data).toEqual({ at: 'now' });
  });
});
