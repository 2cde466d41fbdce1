import { describe, expect, it } from 'vitest';
import {
  parseDefinitionFile,
  planDefinitionChanges,
  readDefinitions,
  renderDefinitionFile,
  type ServiceDefinition,
} from '../../../shared/domain/index.ts';
import { aFile, aService } from './builders.ts';

const PATH = 'architecture/definitions/core.yaml';

const HAND_WRITTEN = `# Owned by the core team.
name: Application Core   # shown in the visualizer
version: 2.0.0
technologies: [FastAPI, REST, Python]
github_path: /services/core/   # spec style
metadata:
  # who to call
  owner: core-team
  tier: 1 # gold
team: platform
`;

function parse(content: string, path = PATH): ServiceDefinition {
  const parsed = parseDefinitionFile(path, content);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.service;
}

describe('definition files', () => {
  it('reads a hand-written file: id from the file name, spec spellings, extra fields', () => {
    expect(parse(HAND_WRITTEN)).toEqual({
      id: 'core',
      name: 'Application Core',
      version: '2.0.0',
      technologies: ['FastAPI', 'REST', 'Python'],
      path: 'services/core',
      metadata: { owner: 'core-team', tier: 1 },
      team: 'platform',
    });
  });

  it('rewriting without a change gives the same text', () => {
    expect(renderDefinitionFile(parse(HAND_WRITTEN), HAND_WRITTEN)).toBe(HAND_WRITTEN);
  });

  it('a field change keeps comments, key order, spellings and untouched nested keys', () => {
    const service = parse(HAND_WRITTEN);
    const changed = {
      ...service,
      version: '2.1.0',
      metadata: { owner: 'core-team', tier: 2 },
      layer: 'Core',
    };
    const { team: _t, ...withoutTeam } = changed as Record<string, unknown>;
    const text = renderDefinitionFile(withoutTeam as ServiceDefinition, HAND_WRITTEN);
    expect(text).toBe(`# Owned by the core team.
name: Application Core # shown in the visualizer
version: 2.1.0
technologies: [FastAPI, REST, Python]
github_path: /services/core/ # spec style
metadata:
  # who to call
  owner: core-team
  tier: 2 # gold
layer: Core
`);
    expect(parse(text)).toEqual(withoutTeam);
  });

  it('a new file lists the fields in canonical order, then extra fields, and reads back the same', () => {
    const service = aService({
      documentationUrl: 'https://x.test/core',
      owner: 'me',
      metadata: { a: 1 },
      id: 'core',
    });
    const text = renderDefinitionFile({ owner: 'me', ...service } as ServiceDefinition);
    const keys = text
      .split('\n')
      .filter((l) => /^[a-zA-Z]/.test(l))
      .map((l) => l.split(':')[0]);
    expect(keys).toEqual([
      'id',
      'name',
      'layer',
      'version',
      'status',
      'technologies',
      'path',
      'dependencies',
      'documentationUrl',
      'metadata',
      'owner',
    ]);
    expect(text.startsWith('# Service definition')).toBe(true);
    expect(parse(text)).toEqual(service);
  });

  it('quotes values YAML would otherwise read as another type', () => {
    const service = aService({ layer: 'true', name: '2.0', metadata: { code: '0123' } });
    expect(parse(renderDefinitionFile(service))).toEqual(service);
  });

  it.each([
    { content: 'id: auth\nname: Auth\n', message: /does not match the file name/ },
    { content: '', message: /empty/ },
    { content: 'name: [unclosed\n', message: /not valid YAML/ },
    { content: 'name: A\nname: B\n', message: /not valid YAML/ },
    { content: '- a\n- b\n', message: /must be an object/ },
    { content: 'name: A\n---\nname: B\n', message: /not valid YAML/ },
    { content: 'version: 1.0.0\n', message: /name/ },
  ])('refuses $content', ({ content, message }) => {
    const parsed = parseDefinitionFile(PATH, content);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(JSON.stringify(parsed.issues)).toMatch(message);
  });
});

describe('readDefinitions and planDefinitionChanges', () => {
  const files = [
    aFile('architecture/definitions/core.yaml', HAND_WRITTEN),
    aFile('architecture/definitions/auth.yml', 'name: Auth\n'),
    aFile('architecture/definitions/auth.yaml', 'name: Auth again\n'),
    aFile('architecture/definitions/broken.yaml', 'name: [\n'),
    aFile('architecture/definitions/README.md', '# notes'),
    aFile('architecture/definitions/nested/x.yaml', 'name: X\n'),
    aFile('architecture/notes.yaml', 'name: Not managed\n'),
  ];

  it('reads only definition files and reports unreadable and repeated ones', () => {
    const read = readDefinitions(files);
    expect(read.services.map((s) => s.id)).toEqual(['auth', 'core']);
    expect(read.paths).toEqual({ auth: 'architecture/definitions/auth.yaml', core: PATH });
    expect(read.invalid.map((f) => f.path)).toEqual([
      'architecture/definitions/auth.yml',
      'architecture/definitions/broken.yaml',
    ]);
  });

  it('updates in place, creates, deletes, and never touches other or unreadable files', () => {
    const core = parse(HAND_WRITTEN);
    const changes = planDefinitionChanges(files, [
      { ...core, version: '3.0.0' },
      aService({ id: 'billing', name: 'Billing' }),
      aService({ id: 'broken', name: 'Broken' }),
    ]);
    expect(changes.map((c) => [c.path, c.content === null ? 'delete' : 'write'])).toEqual([
      [PATH, 'write'],
      ['architecture/definitions/billing.yaml', 'write'],
      ['architecture/definitions/auth.yaml', 'delete'],
    ]);
    expect(changes[0]?.content).toBe(
      HAND_WRITTEN.replace('version: 2.0.0', 'version: 3.0.0').replace('   #', ' #').replace('/   #', '/ #'),
    );
  });

  it('plans nothing when the definitions already hold the target', () => {
    const read = readDefinitions(files);
    expect(planDefinitionChanges(files, read.services)).toEqual([]);
  });
});
