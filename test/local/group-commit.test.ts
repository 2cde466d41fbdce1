import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../shared/adapters/local/group-commit.ts';

describe('GroupCommit', () => {
  let dir: string;
  let db: DatabaseSync;
  let commits: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-group-'));
    db = new DatabaseSync(join(dir, 'g.sqlite'));
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
    commits = 0;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') commits += 1;
      return exec(sql);
    };
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: string) => () => db.prepare('INSERT INTO t (id) VALUES (?)').run(id).changes;
  const ids = () =>
    db
      .prepare('SELECT id FROM t ORDER BY id')
      .all()
      .map((r) => (r as { id: string }).id);

  it('writes the operations of one event-loop turn in one transaction, each with its own result', async () => {
    const group = new GroupCommit(db);
    const results = await Promise.all(['a', 'b', 'c'].map((id) => group.run(insert(id))));
    expect(results).toEqual([1, 1, 1]);
    expect(commits).toBe(1);
    expect(ids()).toEqual(['a', 'b', 'c']);
  });

  it('rolls back only the operation that failed; the others commit', async () => {
    const group = new GroupCommit(db);
    const outcomes = await Promise.allSettled([
      group.run(insert('a')),
      group.run(insert('a')),
      group.run(insert('b')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(ids()).toEqual(['a', 'b']);
  });

  it('a lone operation that fails writes nothing and is told; the next one commits', async () => {
    const group = new GroupCommit(db);
    const failing = () => {
      db.prepare('INSERT INTO t (id) VALUES (?)').run('half');
      throw new Error('boom after a write');
    };
    await expect(group.run(failing)).rejects.toThrow('boom after a write');
    await expect(group.run(insert('next'))).resolves.toBe(1);
    expect(ids()).toEqual(['next']);
    expect(commits).toBe(1);
  });

  it('resolves nothing before the commit: when the transaction cannot start, every caller is told', async () => {
    const group = new GroupCommit(db);
    db.exec('BEGIN'); // another transaction holds this connection
    const outcomes = await Promise.allSettled([group.run(insert('x')), group.run(insert('y'))]);
    db.exec('ROLLBACK');
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(ids()).toEqual([]);
  });

  it('flush() writes what is pending at once (used before closing)', async () => {
    const group = new GroupCommit(db);
    const pending = group.run(insert('z'));
    group.flush();
    expect(ids()).toEqual(['z']);
    await expect(pending).resolves.toBe(1);
  });

  it('runNowOrJoin runs at once when nothing waits, and joins the turn’s transaction when something does', async () => {
    const group = new GroupCommit(db);
    const alone = group.runNowOrJoin(insert('now'));
    expect(ids()).toEqual(['now']); // written before this line: no wait for the next turn
    expect(commits).toBe(1);
    await expect(alone).resolves.toBe(1);

    const waiting = group.run(insert('a'));
    const joined = group.runNowOrJoin(insert('b'));
    expect(ids()).toEqual(['now']);
    await Promise.all([waiting, joined]);
    expect(ids()).toEqual(['a', 'b', 'now']);
    expect(commits).toBe(2);
  });
});
