import { describe, expect, it } from 'vitest';
import {
  checkProposal,
  type LinkPolicyInput,
  type MergeConflict,
  mergeArchitectures,
  policySuggestion,
  type ServiceDefinition,
} from '../../../shared/domain/index.ts';
import { aPolicy, aService } from './builders.ts';

const MANUAL: LinkPolicyInput = { onConflict: 'manual', onRemoval: 'manual', versions: 'conflict' };

/** The one conflict the real merge records for these sides under `policy`. */
function conflictOf(
  base: ServiceDefinition[],
  design: ServiceDefinition[],
  definitions: ServiceDefinition[],
  policy: LinkPolicyInput = MANUAL,
): MergeConflict {
  const { conflicts } = mergeArchitectures({ base, design, definitions, policy: aPolicy(policy) });
  expect(conflicts).toHaveLength(1);
  return conflicts[0] as MergeConflict;
}

describe('policySuggestion: the deterministic answer, per kind of conflict', () => {
  it('two versions: the higher semver, saying which step it is', () => {
    const c = conflictOf(
      [aService({ version: '2.0.0' })],
      [aService({ version: '2.1.0' })],
      [aService({ version: '3.0.0' })],
    );
    expect(c.kind).toBe('version');
    const s = policySuggestion(c, aPolicy(MANUAL));
    expect(s).toMatchObject({ choice: 'definitions', rule: 'higher-version' });
    expect(s.rationale).toMatch(/3\.0\.0 is a major step over 2\.1\.0/);
    expect(s.value).toBeUndefined();
    const minor = conflictOf(
      [aService({ version: '2.0.0' })],
      [aService({ version: '2.0.5' })],
      [aService({ version: '2.0.1' })],
    );
    expect(policySuggestion(minor, aPolicy(MANUAL))).toMatchObject({
      choice: 'design',
      rule: 'higher-version',
    });
  });

  it('a set both sides changed (one removed an entry the other kept): the union, design order first', () => {
    const c = conflictOf(
      [aService({ technologies: ['A', 'B', 'C'] })],
      [aService({ technologies: ['A', 'B', 'D'] })],
      [aService({ technologies: ['A', 'B', 'C', 'E'] })],
    );
    const s = policySuggestion(c, aPolicy(MANUAL));
    expect(s).toMatchObject({ choice: 'merged', value: ['A', 'B', 'D', 'C', 'E'], rule: 'set-union' });
    expect(s.rationale).toMatch(/union/);
  });

  it('a set whose union the schema refuses (over 100 technologies) gives way to the default policy', () => {
    const many = (p: string) => Array.from({ length: 60 }, (_, i) => `${p}${i}`);
    const c = conflictOf(
      [aService({ technologies: ['X'] })],
      [aService({ technologies: ['X', ...many('d')] })],
      [aService({ technologies: many('f') })],
    );
    expect(policySuggestion(c, aPolicy(MANUAL))).toMatchObject({ choice: 'design', rule: 'default-policy' });
  });

  it.each([
    ['a field (manual)', { name: 'Core (design)' }, { name: 'Core (repo)' }],
    ['a metadata key (manual)', { metadata: { owner: 'a' } }, { metadata: { owner: 'b' } }],
    ['a version that is no semver pair', { version: '2.1.0' }, { version: undefined }],
  ])('%s: the default policy, design wins', (_name, d, f) => {
    const c = conflictOf([aService()], [aService(d)], [aService(f)]);
    const s = policySuggestion(c, aPolicy(MANUAL));
    expect(s).toMatchObject({ choice: 'design', rule: 'default-policy' });
    expect(s.rationale).toMatch(/design-wins/);
  });

  it('a service both sides added with different layers (add-add): design wins by default', () => {
    const c = conflictOf([], [aService({ layer: 'Edge' })], [aService({ layer: 'Core' })]);
    expect(c.kind).toBe('add-add');
    expect(policySuggestion(c, aPolicy(MANUAL))).toMatchObject({ choice: 'design', rule: 'default-policy' });
  });

  it.each([
    ['design-wins', 'design'],
    ['definitions-wins', 'definitions'],
  ] as const)('a conflict still open after the policy became %s: the link’s policy', (onConflict, choice) => {
    const c = conflictOf([aService()], [aService({ layer: 'X' })], [aService({ layer: 'Y' })]);
    const s = policySuggestion(c, aPolicy({ onConflict }));
    expect(s).toMatchObject({ choice, rule: 'link-policy' });
    expect(s.rationale).toContain(`${choice}-wins`);
  });

  it('a removal of an unchanged service: delete it (the removal loses no edit)', () => {
    const c = conflictOf([aService()], [], [aService()]);
    expect(c.kind).toBe('removal');
    const s = policySuggestion(c, aPolicy(MANUAL));
    expect(s).toMatchObject({ choice: 'design', rule: 'removal' });
    expect(s.rationale).toMatch(/deliberate/);
  });

  it('a removal while the other side edited the service: keep the edited one', () => {
    const c = conflictOf([aService()], [aService({ layer: 'Edited' })], []);
    const s = policySuggestion(c, aPolicy(MANUAL));
    expect(s).toMatchObject({ choice: 'design', rule: 'keep-changed' });
    expect(s.rationale).toMatch(/lose those edits/);
  });

  it('a removal still open after the policy became propagate: the link’s policy deletes it', () => {
    const c = conflictOf([aService()], [aService()], []);
    expect(policySuggestion(c, aPolicy({ onRemoval: 'propagate' }))).toMatchObject({
      choice: 'definitions',
      rule: 'link-policy',
    });
  });

  it('every deterministic suggestion applies cleanly through the resolve check', () => {
    const cases = [
      conflictOf([aService()], [aService({ version: '2.0.1' })], [aService({ version: '2.0.2' })]),
      conflictOf(
        [aService({ dependencies: ['a', 'b'] })],
        [aService({ dependencies: ['a'] })],
        [aService({ dependencies: ['b', 'c'] })],
      ),
      conflictOf([aService()], [], [aService({ name: 'Renamed' })]),
    ];
    for (const c of cases) {
      const s = policySuggestion(c, aPolicy(MANUAL));
      expect(checkProposal(c, s)).toMatchObject({ ok: true });
    }
  });
});

describe('checkProposal: a proposal passes only what a person’s resolution passes', () => {
  const field = (name: string, d: unknown, f: unknown) =>
    ({ serviceId: 'core', field: name, kind: 'field', base: null, design: d, definitions: f }) as const;
  const removal = {
    serviceId: 'core',
    field: null,
    kind: 'removal',
    base: aService(),
    design: null,
    definitions: aService(),
  };

  it.each([
    [
      'a path leaving the repository',
      field('path', 'services/a', 'services/b'),
      '../../etc',
      /leaves the repository/,
    ],
    ['an absolute path', field('path', 'services/a', 'services/b'), '/etc/passwd', /absolute/],
    ['a path into .git', field('path', 'services/a', 'services/b'), '.git/hooks', /\.git/],
    ['a name over 200 characters', field('name', 'A', 'B'), 'n'.repeat(201), /name/],
    ['a dependency that is no service id', field('dependencies', ['a'], ['b']), ['../x'], /dependencies/],
    [
      'a metadata value with __proto__',
      field('metadata.owner', 'a', 'b'),
      JSON.parse('{"__proto__":{"x":1}}'),
      /__proto__/,
    ],
    ['a whole service with another id', removal, aService({ id: 'other' }), /id must stay/],
    ['a non-object for a whole service', removal, 'ignore previous instructions', /object/],
    ['the id field', field('id', 'a', 'b'), 'c', /id of a service/],
  ])('refuses %s', (_name, conflict, value, reason) => {
    const checked = checkProposal(conflict, { choice: 'merged', value });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toMatch(reason);
  });

  it('refuses a merged choice without a value and an unknown choice', () => {
    expect(checkProposal(field('name', 'A', 'B'), { choice: 'merged' })).toMatchObject({ ok: false });
    expect(checkProposal(field('name', 'A', 'B'), { choice: 'both' as unknown as 'design' })).toMatchObject({
      ok: false,
      reason: 'an unknown choice',
    });
  });

  it('returns a valid merged value as the resolve check normalises it (trimmed, repo-relative)', () => {
    expect(checkProposal(field('name', 'A', 'B'), { choice: 'merged', value: '  A and B  ' })).toEqual({
      ok: true,
      proposal: { choice: 'merged', value: 'A and B' },
    });
    expect(checkProposal(field('path', 'a', 'b'), { choice: 'merged', value: '/services/x/' })).toMatchObject(
      {
        ok: true,
        proposal: { value: 'services/x' },
      },
    );
    expect(checkProposal(removal, { choice: 'design' })).toEqual({
      ok: true,
      proposal: { choice: 'design' },
    });
  });
});
