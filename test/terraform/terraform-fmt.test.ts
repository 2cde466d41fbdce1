import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const DIRS = {
  'terraform/': fileURLToPath(new URL('../../terraform/', import.meta.url)),
  'test/terraform/fixtures/': fileURLToPath(new URL('./fixtures/', import.meta.url)),
};

// fmt needs no provider and no network; CHECKPOINT_DISABLE stops Terraform's version check call.
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
const terraform = (...args: string[]) => spawnSync('terraform', args, { encoding: 'utf8', env });

const missing = terraform('version').error ? 'terraform is not on PATH' : undefined;
if (missing) console.warn(`terraform fmt tests skipped: ${missing}`);

describe.skipIf(missing !== undefined)(
  `terraform fmt -check${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    test.each(Object.entries(DIRS))('%s is formatted', (_name, dir) => {
      const run = terraform('fmt', '-check', '-diff', '-recursive', dir);
      expect({ status: run.status, diff: run.stdout }).toEqual({ status: 0, diff: '' });
    });

    test('an unformatted file fails the check, by name', () => {
      const dir = mkdtempSync(join(tmpdir(), 'tf-fmt-'));
      try {
        writeFileSync(join(dir, 'main.tf'), 'locals {\n  a = 1\n  long_name = 2\n}\n');
        const run = terraform('fmt', '-check', '-recursive', dir);
        expect(run.status).not.toBe(0);
        expect(run.stdout).toContain('main.tf');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
