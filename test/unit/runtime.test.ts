import { describe, expect, it } from 'vitest';

describe('runtime', () => {
  it('runs on the pinned Node 24 (the node@24 devDependency), not the machine Node', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  it('has the built-in SQLite module used by the embedded backends', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    expect(db.prepare('select 1 + 1 as two').get()).toEqual({ two: 2 });
    db.close();
  });
});
