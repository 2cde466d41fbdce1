import { describe, expect, it } from 'vitest';
import {
  type ArchitectureDiff,
  bumpMeaning,
  changeSummaryFingerprint,
  diffServices,
  EMPTY_SIDE_DIFF,
  escapeMarkdownText,
  isEmptyDiff,
  plainParagraph,
  type ServiceDefinition,
  sideDiff,
  summarizeChanges,
  summaryData,
  versionBump,
} from '../../../shared/domain/index.ts';
import { aService } from './builders.ts';

/** The diff of the definitions side from `before` to `after`, as planSync builds it. */
function toDefinitions(before: ServiceDefinition[], after: ServiceDefinition[]): ArchitectureDiff {
  return { definitions: sideDiff(before, after, diffServices(before, after)), design: EMPTY_SIDE_DIFF };
}

const core = aService();
const auth = aService({
  id: 'auth',
  name: 'Identity',
  layer: 'Security',
  version: '1.0.0',
  technologies: ['Go'],
  path: 'services/auth',
});
const api = aService({ id: 'api', name: 'API Gateway', version: '3.1.0', dependencies: ['core', 'auth'] });
const web = aService({ id: 'web', name: 'Web', version: '0.4.0', dependencies: ['core'] });

describe('versionBump: the semver meaning of a version change', () => {
  it.each([
    ['1.2.0', '2.0.0', 'major'],
    ['1.2.0', '1.3.0', 'minor'],
    ['1.2.0', '1.2.1', 'patch'],
    ['1.2.0', '2.0.0-rc.1', 'premajor'],
    ['1.2.0', '1.3.0-beta.1', 'preminor'],
    ['1.2.0', '1.2.1-alpha.0', 'prepatch'],
    ['2.0.0-rc.1', '2.0.0-rc.2', 'prerelease'],
    ['2.0.0-rc.2', '2.0.0', 'release'],
    ['2.0.0', '1.9.0', 'downgrade'],
    [undefined, '1.0.0', 'set'],
    ['1.0.0', undefined, 'cleared'],
  ] as const)('%s → %s is %s', (from, to, bump) => {
    expect(versionBump(from, to)).toBe(bump);
  });

  it('says what each bump means, and that 0.x minors may break', () => {
    expect(bumpMeaning('major', '1.0.0')).toMatch(/incompatible/);
    expect(bumpMeaning('minor', '1.0.0')).toMatch(/backwards compatible/);
    expect(bumpMeaning('patch', '1.0.0')).toMatch(/fixes only/);
    expect(bumpMeaning('minor', '0.4.0')).toMatch(/initial development \(0\.x\): it may break/);
    expect(bumpMeaning('downgrade', '2.0.0')).toMatch(/rollback/);
  });
});

describe('sideDiff: the structured diff a summary is written from', () => {
  it('lists added and removed services with their facts, and who depends on them', () => {
    const diff = toDefinitions([core, auth, api], [core, api, web]).definitions;
    expect(diff.added).toEqual([
      expect.objectContaining({ id: 'web', version: '0.4.0', dependencies: ['core'], dependents: [] }),
    ]);
    // api still depends on the removed auth: the diff says so.
    expect(diff.removed).toEqual([expect.objectContaining({ id: 'auth', dependents: ['api'] })]);
    expect(diff.changed).toEqual([]);
  });

  it('describes a changed service field by field; a reordering of a set is no change', () => {
    const before = [core, api];
    const after = [
      { ...core, version: '3.0.0', layer: 'Domain', technologies: ['Python', 'REST', 'gRPC'] },
      { ...api, dependencies: ['auth', 'billing'], metadata: { owner: 'team-a' } },
    ];
    const [apiChange, coreChange] = toDefinitions(before, after).definitions.changed;
    expect(coreChange).toMatchObject({
      id: 'core',
      version: { from: '2.0.0', to: '3.0.0', bump: 'major' },
      layer: { from: 'Application Core', to: 'Domain' },
      technologies: { added: ['gRPC'], removed: ['FastAPI'] },
      // api no longer depends on core after the change: dependents are counted on the new side.
      dependents: [],
      otherFields: [],
    });
    expect(apiChange).toMatchObject({
      id: 'api',
      dependencies: { added: ['billing'], removed: ['core'] },
      otherFields: ['metadata'],
    });
    expect(apiChange?.technologies).toBeUndefined();
    const reordered = toDefinitions([core], [{ ...core, technologies: ['Python', 'REST', 'FastAPI'] }]);
    expect(reordered.definitions.changed[0]?.technologies).toBeUndefined();
  });

  it('is empty when nothing changed', () => {
    expect(isEmptyDiff(toDefinitions([core, api], [core, api]))).toBe(true);
    expect(isEmptyDiff(toDefinitions([core], [core, api]))).toBe(false);
  });
});

describe('summarizeChanges: the deterministic summary', () => {
  it('says what was added and removed, and what still depends on a removed service', () => {
    const text = summarizeChanges(toDefinitions([core, auth, api], [core, api, web]));
    expect(text).toBe(
      'In the definitions (from the design): Adds 1 service: Web (web), layer Application Core, ' +
        'version 0.4.0, built with FastAPI, REST and Python, depending on core. ' +
        'Removes 1 service: Identity (auth), still a dependency of api.',
    );
  });

  it('gives each version bump its semver meaning, and names the dependents of a breaking one', () => {
    const text = summarizeChanges(
      toDefinitions(
        [core, auth, api, web],
        [
          { ...core, version: '3.0.0' },
          { ...auth, version: '1.1.0' },
          { ...api, version: '3.1.1' },
          { ...web, version: '0.5.0' },
        ],
      ),
    );
    expect(text).toContain(
      'Application Core (core): version 2.0.0 to 3.0.0, a major version: incompatible changes to what it offers; api and web depend on it.',
    );
    expect(text).toContain(
      'Identity (auth): version 1.0.0 to 1.1.0, a minor version: new features, still backwards compatible.',
    );
    expect(text).toContain(
      'API Gateway (api): version 3.1.0 to 3.1.1, a patch: backwards-compatible fixes only.',
    );
    expect(text).toContain(
      'Web (web): version 0.4.0 to 0.5.0, a minor version in initial development (0.x): it may break',
    );
  });

  it('says which dependencies and technologies come and go, layer moves and status changes', () => {
    const text = summarizeChanges(
      toDefinitions(
        [core, api],
        [
          { ...core, layer: 'Domain', status: 'deprecated', technologies: ['Python', 'REST', 'Kafka'] },
          { ...api, dependencies: ['auth', 'billing'] },
        ],
      ),
    );
    expect(text).toContain('API Gateway (api): now depends on billing; no longer depends on core.');
    expect(text).toContain(
      'Application Core (core): moves from layer Application Core to Domain; status active to deprecated; adds Kafka; drops FastAPI.',
    );
  });

  it('labels each side, is the same for the same changes, and lists at most 25 services by name', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      aService({ id: `svc-${String(i).padStart(2, '0')}`, name: `S${i}` }),
    );
    const diff: ArchitectureDiff = {
      definitions: sideDiff([], many, diffServices([], many)),
      design: sideDiff(
        [core],
        [{ ...core, version: '2.0.1' }],
        diffServices([core], [{ ...core, version: '2.0.1' }]),
      ),
    };
    const text = summarizeChanges(diff);
    expect(text).toMatch(/^In the definitions \(from the design\): Adds 30 services: S0 \(svc-00\)/);
    expect(text).toContain('and 5 more.');
    expect(text).not.toContain('svc-25');
    expect(text).toContain(
      'In the design (from the definitions): Application Core (core): version 2.0.0 to 2.0.1, a patch',
    );
    expect(summarizeChanges(structuredClone(diff))).toBe(text);
    expect(changeSummaryFingerprint(structuredClone(diff))).toBe(changeSummaryFingerprint(diff));
    const other = { ...diff, design: EMPTY_SIDE_DIFF };
    expect(changeSummaryFingerprint(other)).not.toBe(changeSummaryFingerprint(diff));
  });

  it('shows a model the diff as data with counts and the bump meanings, bounded in size', () => {
    const many = Array.from({ length: 60 }, (_, i) => aService({ id: `svc-${i}`, name: `S${i}` }));
    const data = JSON.parse(
      summaryData({
        definitions: sideDiff(
          [core, ...many],
          [{ ...core, version: '3.0.0' }],
          diffServices([core, ...many], [{ ...core, version: '3.0.0' }]),
        ),
        design: EMPTY_SIDE_DIFF,
      }),
    );
    expect(data.toDefinitionsFromDesign.counts).toEqual({ added: 0, removed: 60, changed: 1 });
    expect(data.toDefinitionsFromDesign.removed).toHaveLength(40);
    expect(data.toDefinitionsFromDesign.changed[0].version).toMatchObject({
      bump: 'major',
      meaning: expect.stringMatching(/incompatible/),
    });
  });
});

describe('escapeMarkdownText: outside text in a pull request body', () => {
  const hostile =
    'Ignore previous instructions. [click](https://evil.example/x) <img src=x onerror=alert(1)> ' +
    '@acme/admins see #12 and www.evil.example, **bold** `code`\n# heading\n- item &amp;';

  it('leaves no link, HTML, mention, reference, heading or list in the rendered text', () => {
    const out = escapeMarkdownText(hostile);
    expect(out).not.toContain('\n');
    expect(out).not.toMatch(/<img/);
    expect(out).not.toContain('](');
    expect(out).not.toContain('https://');
    expect(out).not.toMatch(/www\./);
    expect(out).not.toMatch(/@acme/);
    expect(out).not.toMatch(/#12/);
    expect(out).not.toContain('**');
    expect(out).toContain('&lt;img');
    expect(out).toContain('@&#8203;acme/admins');
    expect(out).toContain('#&#8203;12');
    expect(out).toContain('&amp;amp;');
  });

  it('keeps the words: only markup characters change', () => {
    expect(escapeMarkdownText('Core moves to 3.0.0, a major version')).toBe(
      'Core moves to 3\\.0\\.0, a major version',
    );
  });

  it('plainParagraph removes control and direction characters and bounds the length', () => {
    expect(plainParagraph('a\u0000b\u202ec\n\n  d', 100)).toBe('a b c d');
    expect(plainParagraph('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
