import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('runtime', () => {
  it('runs on the pinned Node 24 (the node@24 devDependency), not the machine Node', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  it('says Node 24 everywhere: engines, the node devDependency, Cloud Build and the Cloud Run runtime', () => {
    const pkg = JSON.parse(read('package.json')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe('>=24');
    expect(pkg.devDependencies.node).toMatch(/^\^24\./);
    expect(read('terraform/variables.tf')).toMatch(/variable "runtime" \{[^}]*default\s*=\s*"nodejs24"/);
    expect(read('cloudbuild.yaml')).toMatch(/node:24/);
  });

  it('has the built-in SQLite module used by the embedded backends', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(':memory:');
    expect(db.prepare('select 1 + 1 as two').get()).toEqual({ two: 2 });
    db.close();
  });
});
