import type { DatabaseSync } from 'node:sqlite';
import { writeTransaction } from './sqlite-database.ts';

/**
 * The document table is a rowid table: its (collection, id) key lives in an index of its own, so a
 * key lookup reads small index pages and then one row. In the `WITHOUT ROWID` layout of older files
 * the rows themselves formed the key's B-tree, and SQLite reads a cell's whole payload (overflow
 * pages included) to compare keys against it: a lookup next to a 128 MB row took 160 ms. `data`
 * comes last so that reading a row's version or times stops before its body.
 */
const columns = (table: string) => `${table} (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  create_time TEXT NOT NULL,
  update_time TEXT NOT NULL,
  expire_at TEXT,
  data TEXT NOT NULL,
  PRIMARY KEY (collection, id)
)`;

const EXPIRY_INDEX =
  'CREATE INDEX IF NOT EXISTS docs_expire ON docs (collection, expire_at) WHERE expire_at IS NOT NULL';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${columns('docs')};
${EXPIRY_INDEX};
CREATE TABLE IF NOT EXISTS doc_version_seq (one INTEGER PRIMARY KEY CHECK (one = 1), value INTEGER NOT NULL);
INSERT OR IGNORE INTO doc_version_seq (one, value) VALUES (1, 0);
`;

/** Creates the document table, or brings a file of the older layout to this one. */
export function prepareDocTable(db: DatabaseSync): void {
  db.exec(SCHEMA);
  if (!isWithoutRowid(db)) return;
  // One transaction: a crash leaves the old table whole, and another connection (the bus, or a
  // second process) waiting on the lock finds the work done when it gets in. Dropping the old table
  // drops its indexes: the expiry index is made here, the field indexes by the state store when it
  // opens (in their current form, which a rowid table needs; see fieldIndexSql).
  writeTransaction(db, () => {
    if (!isWithoutRowid(db)) return;
    db.exec(`CREATE TABLE ${columns('docs_rowid')}`);
    db.exec(`INSERT INTO docs_rowid (collection, id, version, create_time, update_time, expire_at, data)
      SELECT collection, id, version, create_time, update_time, expire_at, data FROM docs ORDER BY collection, id`);
    db.exec('DROP TABLE docs');
    db.exec('ALTER TABLE docs_rowid RENAME TO docs');
    db.exec(EXPIRY_INDEX);
  });
}

function isWithoutRowid(db: DatabaseSync): boolean {
  const row = db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = 'docs'").get() as
    | { wr: number }
    | undefined;
  return row?.wr === 1;
}
