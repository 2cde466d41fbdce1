import { describe, expect, it } from 'vitest';
import { ingestRawFiles, parseDefinitionFile } from '../../../shared/domain/index.ts';
import { aFile } from './builders.ts';

describe('duplicate YAML keys', () => {
  it.each([
    ['at the top level', 'name: A\nlayer: x\nname: B\n'],
    ['in metadata', 'name: A\nmetadata:\n  owner: x\n  owner: y\n'],
    ['in a map inside a list', 'name: A\nmetadata:\n  list:\n    - {k: 1, k: 2}\n'],
    ['as quoted and plain spellings of one key', 'name: A\n"name": B\n'],
  ])('are refused %s', (_where, text) => {
    const parsed = parseDefinitionFile('architecture/definitions/a.yaml', text);
    expect(parsed).toMatchObject({
      ok: false,
      issues: [{ message: expect.stringMatching(/keys must be unique/) }],
    });
  });

  it('keys equal only once converted to text stay apart, as yaml has them', () => {
    const parsed = parseDefinitionFile(
      'architecture/definitions/a.yaml',
      'name: A\nmetadata:\n  1: one\n  "2": two\n',
    );
    expect(parsed.ok).toBe(true);
  });

  // The yaml library checks uniqueness pair by pair: 34,000 keys took 38 s of one thread, which
  // the local server shares with every request. A linear check keeps this well under the timeout.
  it('a raw file with 60,000 distinct keys is read in linear time', { timeout: 30_000 }, () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `  k${i}: ${i}`);
    const text = ['id: many', 'name: Many', 'metadata:', ...keys].join('\n');
    const result = ingestRawFiles([aFile('architecture/raw/many.yaml', text)]);
    expect(result.rejected[0]?.reason).toMatch(/larger than .* one definition|more than/);
  });
});
