import { describe, expect, it } from 'vitest';
import {
  exampleDesignExport,
  ingestRawFiles,
  parseDefinitionFile,
  type SourceFile,
} from '../../../shared/domain/index.ts';
import { aComponent, aFile, anExport } from './builders.ts';

const EXISTING = aFile('architecture/definitions/core.yaml', 'name: Application Core\n');
const UNMANAGED = [
  aFile('architecture/README.md', '# Architecture'),
  aFile('architecture/diagrams/overview.json', '{"not": "a service"}'),
  aFile('architecture/raw/.gitkeep', ''),
  aFile('architecture/raw/README.md', 'Drop files here'),
];

function summary(files: SourceFile[]) {
  const result = ingestRawFiles([EXISTING, ...UNMANAGED, ...files]);
  return {
    accepted: result.accepted,
    rejected: result.rejected.map((r) => ({ path: r.path, reason: r.reason })),
    writes: result.changes.filter((c) => c.content !== null).map((c) => c.path),
    deletes: result.changes.filter((c) => c.content === null).map((c) => c.path),
  };
}

describe('ingestRawFiles', () => {
  it.each([
    {
      name: 'one service in YAML',
      file: aFile(
        'architecture/raw/auth.yaml',
        'name: Identity & Security\nservice_id: auth\nversion: 1.0.0\n',
      ),
      ids: ['auth'],
    },
    {
      name: 'a list in JSON',
      file: aFile(
        'architecture/raw/list.json',
        JSON.stringify([{ name: 'A' }, { name: 'B', github_path: '/services/b/' }]),
      ),
      ids: ['a', 'b'],
    },
    {
      name: '{services: [...]} in YAML',
      file: aFile('architecture/raw/many.yml', 'services:\n  - name: A\n  - id: b\n    name: B\n'),
      ids: ['a', 'b'],
    },
    {
      name: 'a whole design export',
      file: aFile(
        'architecture/raw/export.json',
        JSON.stringify({
          ...exampleDesignExport(),
          components: exampleDesignExport().components.slice(0, 1),
        }),
      ),
      ids: ['auth'],
    },
    {
      name: 'a file in a subfolder',
      file: aFile('architecture/raw/team/x.json', '{"name": "X"}'),
      ids: ['x'],
    },
  ])('moves $name into definitions, one file per service', ({ file, ids }) => {
    expect(summary([file])).toEqual({
      accepted: [{ path: file.path, serviceIds: ids }],
      rejected: [],
      writes: ids.map((id) => `architecture/definitions/${id}.yaml`),
      deletes: [file.path],
    });
  });

  it('writes definition files that read back as the dropped services', () => {
    const result = ingestRawFiles([
      aFile('architecture/raw/b.json', JSON.stringify(aComponent({ service_id: 'b', extra: { x: 1 } }))),
    ]);
    const written = result.changes.find((c) => c.content !== null)!;
    const parsed = parseDefinitionFile(written.path, written.content!);
    expect(parsed).toEqual({ ok: true, service: result.services[0] });
    expect(result.services[0]).toMatchObject({ id: 'b', path: 'services/core', extra: { x: 1 } });
  });

  it.each([
    {
      name: 'invalid field',
      content: '{"name": "A", "version": "latest"}',
      reason: /version: must be a semver/,
    },
    {
      name: 'invalid item of a list',
      content: '[{"name": "A"}, {"name": "B", "status": "on"}]',
      reason: /\[1\]\.status/,
    },
    { name: 'bad JSON', content: '{"name": ', reason: /not valid JSON/ },
    { name: 'empty list', content: '[]', reason: /no services/ },
    {
      name: 'repeated id in one file',
      content: '[{"name": "A"}, {"id": "a", "name": "A2"}]',
      reason: /appears twice/,
    },
    {
      name: 'existing definition',
      content: '{"id": "core", "name": "Core"}',
      reason: /already defined in architecture\/definitions\/core.yaml/,
    },
    {
      name: 'invalid export component',
      content: JSON.stringify(anExport([{ name: 'A', github_path: '../x' }])),
      reason: /components\[0\]/,
    },
  ])('leaves a file with $name in raw/ with its reason', ({ content, reason }) => {
    const out = summary([aFile('architecture/raw/in.json', content)]);
    expect(out.accepted).toEqual([]);
    expect(out.writes).toEqual([]);
    expect(out.deletes).toEqual([]);
    expect(out.rejected).toHaveLength(1);
    expect(out.rejected[0]?.reason).toMatch(reason);
  });

  it('refuses the later of two files that bring the same id, and takes the rest', () => {
    const out = summary([
      aFile('architecture/raw/b.json', '{"name": "Billing", "version": "2.0.0"}'),
      aFile('architecture/raw/a.json', '{"name": "Billing"}'),
      aFile('architecture/raw/c.yaml', 'name: Cache\n'),
    ]);
    expect(out.accepted.map((a) => a.path)).toEqual(['architecture/raw/a.json', 'architecture/raw/c.yaml']);
    expect(out.rejected).toEqual([
      {
        path: 'architecture/raw/b.json',
        reason: expect.stringMatching(/already defined in architecture\/raw\/a.json/),
      },
    ]);
  });

  it('does not overwrite an unreadable definition file with a dropped service', () => {
    const out = summary([
      aFile('architecture/definitions/pay.yaml', 'name: ['),
      aFile('architecture/raw/pay.json', '{"name": "Pay"}'),
    ]);
    expect(out.rejected[0]?.reason).toMatch(/pay.yaml/);
  });

  it('rejects other file types in raw/ and never touches files outside it', () => {
    const result = ingestRawFiles([...UNMANAGED, aFile('architecture/raw/notes.txt', 'x')]);
    expect(result.rejected.map((r) => [r.path, r.reason])).toEqual([
      ['architecture/raw/notes.txt', 'only .json, .yaml and .yml files are ingested'],
    ]);
    expect(result.changes).toEqual([]);
  });
});
