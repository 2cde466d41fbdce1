import { describe, expect, it } from 'vitest';
import {
  findUnsafeStructure,
  ingestRawFiles,
  MAX_TEXT_BYTES,
  normalizeRepoPath,
  parseDefinitionFile,
  parseDesignText,
  parseService,
} from '../../../shared/domain/index.ts';
import { aFile } from './builders.ts';

describe('normalizeRepoPath', () => {
  it.each([
    ['services/auth', 'services/auth'],
    ['/services/auth/', 'services/auth'],
    ['/services/finance-sync/app', 'services/finance-sync/app'],
    ['./services//core/', 'services/core'],
    ['docs/api', 'docs/api'],
    ['services/...hidden', 'services/...hidden'],
  ])('accepts %s as %s', (input, path) => {
    expect(normalizeRepoPath(input)).toEqual({ ok: true, path });
  });

  it.each([
    ['../etc/passwd', /leaves the repository/],
    ['services/../../etc', /leaves the repository/],
    ['services/..', /leaves the repository/],
    ['services/\uff0e\uff0e/x', /leaves the repository/],
    ['/etc/passwd', /absolute/],
    ['//server/share', /absolute/],
    ['/services/', /absolute/],
    ['C:/Windows', /drive letter/],
    ['c:services', /drive letter/],
    ['services\\..\\x', /backslash/],
    ['services/%2e%2e/x', /URL-encoded/],
    ['%2E%2E%2Fetc', /URL-encoded/],
    ['services/%252e', /URL-encoded/],
    ['services/a\u0000b', /control character/],
    ['services/a\nb', /control character/],
    ['file:///etc/passwd', /URL/],
    ['https://evil.test/x', /URL/],
    ['.git/config', /\.git/],
    ['services/.GIT/hooks', /\.git/],
    ['', /empty/],
    ['.', /root/],
    ['a/'.repeat(300), /longer than/],
  ])('refuses %j', (input, reason) => {
    const result = normalizeRepoPath(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('prototype pollution', () => {
  const protoBefore = Object.keys(Object.prototype);
  it.each([
    ['JSON top level', '{"__proto__": {"polluted": true}, "name": "A"}'],
    [
      'JSON nested in metadata',
      '{"name": "A", "metadata": {"x": {"constructor": {"prototype": {"polluted": true}}}}}',
    ],
    ['JSON in a list', '[{"name": "A", "tags": [{"prototype": 1}]}]'],
  ])('refuses a raw file with %s', (_name, content) => {
    const result = ingestRawFiles([aFile('architecture/raw/evil.json', content)]);
    expect(result.accepted).toEqual([]);
    expect(result.rejected[0]?.reason).toMatch(/is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual(protoBefore);
  });

  it.each([
    [
      'a YAML definition',
      () => parseDefinitionFile('architecture/definitions/a.yaml', 'name: A\n__proto__:\n  polluted: true\n'),
    ],
    [
      'a nested constructor key in YAML',
      () => parseDefinitionFile('architecture/definitions/a.yaml', 'name: A\nmetadata:\n  constructor: x\n'),
    ],
  ])('refuses %s', (_name, run) => {
    const parsed = run();
    expect(parsed.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a design component with __proto__', () => {
    const parsed = parseDesignText('{"components": [{"name": "A", "__proto__": {"polluted": true}}]}');
    expect(parsed.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses forbidden keys even when the schema is used directly', () => {
    const input = JSON.parse('{"id": "a", "name": "A", "constructor": 1}');
    expect(parseService(input).ok).toBe(false);
  });
});

describe('size and depth limits', () => {
  it('refuses deeply nested JSON without overflowing the stack', () => {
    const depth = 100_000;
    const text = `{"components": [{"name": "A", "metadata": {"x": ${'['.repeat(depth)}${']'.repeat(depth)}}}]}`;
    const parsed = parseDesignText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/nested deeper than 32 levels/);
  });

  it('findUnsafeStructure reports depth iteratively', () => {
    let value: unknown = 1;
    for (let i = 0; i < 50_000; i++) value = { a: value };
    expect(findUnsafeStructure(value)).toMatch(/nested deeper than 32 levels/);
  });

  it('refuses a design larger than the limit', () => {
    const parsed = parseDesignText(' '.repeat(MAX_TEXT_BYTES + 1));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) });
  });

  it.each([
    ['name', { name: 'n'.repeat(1_000_000) }],
    ['layer', { name: 'A', layer: 'l'.repeat(201) }],
    ['technologies', { name: 'A', technologies: Array.from({ length: 101 }, (_, i) => `t${i}`) }],
    ['documentationUrl', { name: 'A', documentationUrl: `https://x.test/${'a'.repeat(3000)}` }],
    ['id', { id: 'a'.repeat(101), name: 'A' }],
  ])('refuses an oversized %s', (field, input) => {
    const parsed = parseService(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.field).toBe(field);
  });

  it('refuses a YAML alias bomb', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    lines.push('name: Bomb');
    const parsed = parseDefinitionFile('architecture/definitions/bomb.yaml', lines.join('\n'));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.message).toMatch(/alias/i);
  });

  it.each([
    ['javascript: URL', { name: 'A', documentationUrl: 'javascript:alert(1)' }, 'documentationUrl'],
    ['data: URL', { name: 'A', documentationUrl: 'data:text/html,x' }, 'documentationUrl'],
    ['non-slug dependency', { name: 'A', dependencies: ['../b'] }, 'dependencies.0'],
    ['non-string name', { name: { toString: 'x' } }, 'name'],
    ['array as service', [], ''],
  ])('refuses a %s', (_name, input, field) => {
    const parsed = parseService(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.field)).toContain(field);
  });
});
