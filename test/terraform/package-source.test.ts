import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { functionFolders } from './support/all-checks.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'terraform/scripts/package-source.sh');

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-package-source-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(script: string, out: string) {
  return spawnSync('bash', [script, out], { encoding: 'utf8' });
}

/** A minimal project root holding a copy of the script, for the failure cases. */
function fakeRoot(files: Record<string, string>): { script: string; root: string } {
  const root = tempDir();
  for (const [path, text] of Object.entries({ 'package-lock.json': '{}', 'shared/x.ts': '', ...files })) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'terraform/scripts'), { recursive: true });
  copyFileSync(SCRIPT, join(root, 'terraform/scripts/package-source.sh'));
  return { script: join(root, 'terraform/scripts/package-source.sh'), root };
}

describe('terraform/scripts/package-source.sh', () => {
  test('stages the source with an index.js that imports every function', () => {
    const out = join(tempDir(), 'source');
    const result = run(SCRIPT, out);
    expect(result.status, result.stderr).toBe(0);
    const imports = [...readFileSync(join(out, 'index.js'), 'utf8').matchAll(/^import '\.\/(.+)';$/gm)].map(
      (m) => m[1] ?? '',
    );
    expect(imports).toEqual(functionFolders(join(ROOT, 'functions')).map((f) => `functions/${f}/index.ts`));
    for (const file of [...imports, 'package.json', 'package-lock.json', 'shared/edge/cloud-run.ts']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(existsSync(join(out, 'node_modules'))).toBe(false);
  });

  test('refuses a package.json "main" (the buildpack would load it instead of index.js)', () => {
    const { script, root } = fakeRoot({
      'package.json': '{"name":"x","main":"dist/index.js"}',
      'functions/a/index.ts': '',
    });
    const result = run(script, join(root, 'out'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/"main" field/);
  });

  test('refuses a function folder without index.ts', () => {
    const { script, root } = fakeRoot({ 'package.json': '{"name":"x"}', 'functions/a/handler.ts': '' });
    const result = run(script, join(root, 'out'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/functions\/a has no index\.ts/);
  });
});
