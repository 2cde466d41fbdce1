import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteStateStore } from '../shared/adapters/local/index.ts';

/**
 * A primary-key lookup of a small document next to a large one, on the document table's layout
 * before the rowid migration (`WITHOUT ROWID`, the body inline in the key's B-tree) and after (rowid
 * table, key index apart), in one run. `node bench/key-lookup-bench.ts [rowMegabytes...]`.
 * Not part of `npm run bench`: it measures a layout, not a target.
 */
const OLD_LAYOUT = `
CREATE TABLE docs (
  collection TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, version INTEGER NOT NULL,
  create_time TEXT NOT NULL, update_time TEXT NOT NULL, expire_at TEXT,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;`;
const LOOKUPS = 50;

/** The big row goes in with SQL: the store itself now refuses bodies over MAX_DOCUMENT_BYTES. */
function seed(db: DatabaseSync, megabytes: number): void {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO docs (collection, id, data, version, create_time, update_time, expire_at)
     VALUES (?, ?, ?, ?, '', '', NULL)`,
  );
  insert.run('api-keys', 'k0', JSON.stringify({ pad: 'x'.repeat(megabytes * 1024 * 1024) }), 1);
  insert.run('api-keys', 'k1', JSON.stringify({ tenant: 'acme' }), 2);
}

function msPerLookup(read: () => unknown): number {
  read();
  const started = performance.now();
  for (let i = 0; i < LOOKUPS; i++) read();
  return (performance.now() - started) / LOOKUPS;
}

async function measure(megabytes: number): Promise<{ before: number; after: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'key-lookup-'));
  try {
    const oldFile = new DatabaseSync(join(dir, 'old.sqlite'));
    oldFile.exec(OLD_LAYOUT);
    seed(oldFile, megabytes);
    const select = oldFile.prepare('SELECT id, data, version FROM docs WHERE collection = ? AND id = ?');
    const before = msPerLookup(() => select.get('api-keys', 'k1'));
    oldFile.close();

    const file = join(dir, 'new.sqlite');
    const store = new SqliteStateStore({ file });
    await store.set('api-keys', 'warm', { n: 0 });
    const raw = new DatabaseSync(file);
    seed(raw, megabytes);
    raw.close();
    const after = msPerLookup(() => store.get('api-keys', 'k1'));
    await store.close();
    return { before, after };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const megabytes of sizes.length > 0 ? sizes : [1, 16, 64]) {
  const { before, after } = await measure(megabytes);
  process.stdout.write(
    `lookup next to a ${megabytes} MB row: WITHOUT ROWID ${before.toFixed(3)} ms, rowid ${after.toFixed(3)} ms (${(before / after).toFixed(0)}x)\n`,
  );
}
