import { describe, expect, it } from 'vitest';
import {
  applyResolutions,
  type MergeConflict,
  mergeArchitectures,
  resolveConflict,
  type ServiceDefinition,
} from '../../../shared/domain/index.ts';
import { AppError } from '../../../shared/errors/index.ts';
import { aPolicy, aService } from './builders.ts';

function resolveAndMerge(
  base: ServiceDefinition[],
  design: ServiceDefinition[],
  definitions: ServiceDefinition[],
  pick: (c: MergeConflict) => ReturnType<typeof resolveConflict>,
) {
  const policy = aPolicy({ onConflict: 'manual', onRemoval: 'manual' });
  const first = mergeArchitectures({ base, design, definitions, policy });
  const resolutions = first.conflicts.map(pick);
  return mergeArchitectures({
    base: first.merged,
    design: first.design,
    definitions: first.definitions,
    policy,
    resolutions,
  });
}

describe('resolveConflict, then mergeArchitectures with the resolutions', () => {
  const base = [aService()];
  const design = [aService({ layer: 'X' })];
  const definitions = [aService({ layer: 'Y' })];

  it.each([
    { take: 'design', want: 'X' },
    { take: 'definitions', want: 'Y' },
    { take: 'value', value: 'Z', want: 'Z' },
  ] as const)(
    'an open field conflict resolved with take=$take writes $want to both sides',
    ({ take, value, want }) => {
      const second = resolveAndMerge(base, design, definitions, (c) => resolveConflict(c, take, value));
      expect(second.conflicts).toEqual([]);
      expect(second.merged[0]?.layer).toBe(want);
      expect(second.design[0]?.layer).toBe(want);
      expect(second.definitions[0]?.layer).toBe(want);
    },
  );

  it('a removal awaiting review is deleted everywhere when the team takes the removing side', () => {
    const second = resolveAndMerge(base, [], base, (c) => resolveConflict(c, 'design'));
    expect(second.merged).toEqual([]);
    expect(second.conflicts).toEqual([]);
    expect(second.changes.definitions.removed).toEqual(['core']);
    // The design never had it back while the removal waited: nothing to remove there.
    expect(second.changes.design.removed).toEqual([]);
  });

  it('a removal awaiting review is restored to the removing side when the team keeps it', () => {
    const second = resolveAndMerge(base, [], base, (c) => resolveConflict(c, 'definitions'));
    expect(second.conflicts).toEqual([]);
    expect(second.merged).toEqual(base);
    expect(second.changes.design.added).toEqual(['core']);
    expect(second.changes.definitions.removed).toEqual([]);
  });

  it('a value of null removes the field', () => {
    const second = resolveAndMerge(base, design, definitions, (c) => resolveConflict(c, 'value', null));
    expect(second.merged[0]).not.toHaveProperty('layer');
  });

  it('normalizes the chosen value like any input (a spec-style path)', () => {
    const r = resolveConflict(
      { serviceId: 'core', field: 'path', design: null, definitions: null },
      'value',
      '/services/x/',
    );
    expect(r.value).toBe('services/x');
  });

  it.each([
    { field: 'version', value: 'not-semver', message: /semver/ },
    { field: 'path', value: '../../etc', message: /leaves the repository/ },
    { field: 'id', value: 'other', message: /id/ },
    { field: null, value: { id: 'other', name: 'Other' }, message: /must stay "core"/ },
    { field: 'layer', value: undefined, message: /needs a value/ },
  ])('refuses an invalid value for $field', ({ field, value, message }) => {
    const conflict = { serviceId: 'core', field, design: null, definitions: null };
    const call = () => resolveConflict(conflict, 'value', value);
    expect(call).toThrow(AppError);
    expect(call).toThrow(message);
  });
});

describe('applyResolutions', () => {
  it('sets or removes a field, replaces, adds or deletes a service, ignores services that are gone', () => {
    const a = aService({ id: 'a', name: 'A' });
    const b = aService({ id: 'b', name: 'B' });
    const out = applyResolutions(
      [a, b],
      [
        { serviceId: 'a', field: 'layer', value: 'Edge' },
        { serviceId: 'a', field: 'version', value: null },
        { serviceId: 'b', field: null, value: null },
        { serviceId: 'c', field: null, value: aService({ id: 'c', name: 'C' }) },
        { serviceId: 'zz', field: 'layer', value: 'ignored' },
      ],
    );
    expect(out.map((s) => s.id)).toEqual(['a', 'c']);
    expect(out[0]).toMatchObject({ layer: 'Edge' });
    expect(out[0]).not.toHaveProperty('version');
  });
});

describe('removing a field by resolution', () => {
  const conflict = { serviceId: 'auth', field: 'name', design: 'Auth A', definitions: 'Auth B' };
  it('a required field cannot be removed (null would leave a service the schema refuses)', () => {
    expect(() => resolveConflict(conflict, 'value', null)).toThrow(/invalid value/);
  });
  it('an optional field can, and stays a removal', () => {
    expect(resolveConflict({ ...conflict, field: 'layer' }, 'value', null)).toEqual({
      serviceId: 'auth',
      field: 'layer',
      value: null,
    });
  });
});
