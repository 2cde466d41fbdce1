import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { settingsTable } from '../../shared/config/index.ts';

const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};
const ci = await readFile(new URL('../../.ci/run', import.meta.url), 'utf8');

describe('README stays true', () => {
  it('documents every setting exactly as the config declares it', () => {
    expect(readme).toContain(settingsTable());
  });

  it('gives the two commands a newcomer needs, and CI runs the same ones', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm install && npm test');
    expect(ci).toMatch(/^npm install$/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  it('names npm scripts that exist', () => {
    for (const [, script] of readme.matchAll(/npm run ([\w:-]+)/g))
      expect(pkg.scripts).toHaveProperty(script as string);
  });
});
