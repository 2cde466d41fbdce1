import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const deploy = await readFile(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
const report = await readFile(new URL('../../bench/print-report.ts', import.meta.url), 'utf8');

describe('docs stay true', () => {
  it('every terraform apply in docs/deploy.md passes the project and the region (a default region would move everything)', () => {
    const shell = [...deploy.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').join('\n');
    const applies = shell.split('\n').filter((line) => /\bterraform\b.*\bapply\b/.test(line));
    expect(applies.length).toBeGreaterThanOrEqual(2);
    for (const line of applies) {
      expect(line).toContain('-var="project_id=$PROJECT"');
      expect(line).toContain('-var="region=$REGION"');
    }
  });

  it('the bench report names the targets from a file the project has', () => {
    const named = [...report.matchAll(/Targets \(([^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(named.length).toBeGreaterThan(0);
    for (const file of named) expect(existsSync(`${ROOT}${file}`), file).toBe(true);
  });
});
