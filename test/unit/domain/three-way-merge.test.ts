import { describe, expect, it } from 'vitest';
import { type LinkPolicy, mergeArchitectures, type ServiceDefinition } from '../../../shared/domain/index.ts';
import { allMergePolicies, aService } from './builders.ts';

/** B = the base value, X and Y = two different edits, N = absent (removed, or never added). */
type State = 'B' | 'X' | 'Y' | 'N';
const LAYER: Record<Exclude<State, 'N'>, string> = { B: 'Layer Zero', X: 'Layer X', Y: 'Layer Y' };

function service(state: State): ServiceDefinition | undefined {
  return state === 'N' ? undefined : aService({ layer: LAYER[state] });
}
function list(state: State): ServiceDefinition[] {
  const s = service(state);
  return s ? [s] : [];
}
function stateOf(services: readonly ServiceDefinition[]): State {
  const s = services.find((x) => x.id === 'core');
  if (!s) return 'N';
  const entry = Object.entries(LAYER).find(([, v]) => v === s.layer);
  if (!entry) throw new Error(`unexpected layer ${s.layer}`);
  return entry[0] as State;
}

interface Expected {
  design: State;
  definitions: State;
  merged: State;
  conflict?: { kind: string; resolution: string; needsReview: boolean };
}
const all = (s: State): Expected => ({ design: s, definitions: s, merged: s });

function onConflict(p: LinkPolicy, kind: 'field' | 'add-add', open: State): Expected {
  if (p.onConflict === 'design-wins')
    return { ...all('X'), conflict: { kind, resolution: 'design', needsReview: false } };
  if (p.onConflict === 'definitions-wins')
    return { ...all('Y'), conflict: { kind, resolution: 'definitions', needsReview: false } };
  return {
    design: 'X',
    definitions: 'Y',
    merged: open,
    conflict: { kind, resolution: 'open', needsReview: true },
  };
}
/**
 * One side removed the service the base has. Under `manual` the removal waits for review and changes
 * neither side: the side that removed it stays without it, the other keeps its version, and the base
 * keeps the old service so the removal is found again. Under `propagate` it is deleted everywhere.
 */
function onRemoval(p: LinkPolicy, design: State, definitions: State): Expected {
  if (p.onRemoval === 'manual')
    return {
      design,
      definitions,
      merged: 'B',
      conflict: { kind: 'removal', resolution: 'open', needsReview: true },
    };
  const kept = design === 'N' ? definitions : design;
  if (kept === 'B') return all('N');
  return { ...all('N'), conflict: { kind: 'removal', resolution: 'deleted', needsReview: false } };
}

const CELLS: Array<{ base: State; design: State; definitions: State; expect: (p: LinkPolicy) => Expected }> =
  [
    { base: 'B', design: 'B', definitions: 'B', expect: () => all('B') },
    { base: 'B', design: 'B', definitions: 'X', expect: () => all('X') },
    { base: 'B', design: 'X', definitions: 'B', expect: () => all('X') },
    { base: 'B', design: 'X', definitions: 'X', expect: () => all('X') },
    { base: 'B', design: 'X', definitions: 'Y', expect: (p) => onConflict(p, 'field', 'B') },
    { base: 'B', design: 'B', definitions: 'N', expect: (p) => onRemoval(p, 'B', 'N') },
    { base: 'B', design: 'N', definitions: 'B', expect: (p) => onRemoval(p, 'N', 'B') },
    { base: 'B', design: 'X', definitions: 'N', expect: (p) => onRemoval(p, 'X', 'N') },
    { base: 'B', design: 'N', definitions: 'X', expect: (p) => onRemoval(p, 'N', 'X') },
    { base: 'B', design: 'N', definitions: 'N', expect: () => all('N') },
    { base: 'N', design: 'N', definitions: 'N', expect: () => all('N') },
    { base: 'N', design: 'X', definitions: 'N', expect: () => all('X') },
    { base: 'N', design: 'N', definitions: 'X', expect: () => all('X') },
    { base: 'N', design: 'X', definitions: 'X', expect: () => all('X') },
    { base: 'N', design: 'X', definitions: 'Y', expect: (p) => onConflict(p, 'add-add', 'N') },
  ];

const policyName = (p: LinkPolicy) => `${p.onConflict}/${p.onRemoval}/${p.versions}`;
const cases = CELLS.flatMap((cell) =>
  allMergePolicies().map((policy) => ({ ...cell, policy, name: policyName(policy) })),
);

function expectedChanges(before: State, after: State) {
  if (before === after) return { added: [], updated: [], removed: [] };
  if (before === 'N') return { added: ['core'], updated: [], removed: [] };
  if (after === 'N') return { added: [], updated: [], removed: ['core'] };
  return { added: [], updated: ['core'], removed: [] };
}

describe('mergeArchitectures: every (base, design, definitions) cell under every policy', () => {
  it.each(cases)('base $base, design $design, definitions $definitions under $name', (c) => {
    const result = mergeArchitectures({
      base: list(c.base),
      design: list(c.design),
      definitions: list(c.definitions),
      policy: c.policy,
    });
    const want = c.expect(c.policy);
    expect(stateOf(result.design)).toBe(want.design);
    expect(stateOf(result.definitions)).toBe(want.definitions);
    expect(stateOf(result.merged)).toBe(want.merged);
    const { fields: _d, ...designChanges } = result.changes.design;
    const { fields: _f, ...definitionsChanges } = result.changes.definitions;
    expect(designChanges).toEqual(expectedChanges(c.design, want.design));
    expect(definitionsChanges).toEqual(expectedChanges(c.definitions, want.definitions));
    if (!want.conflict) {
      expect(result.conflicts).toEqual([]);
      return;
    }
    expect(result.conflicts).toHaveLength(1);
    const conflict = result.conflicts[0]!;
    expect(conflict).toMatchObject({ serviceId: 'core', ...want.conflict });
    if (conflict.kind === 'removal') {
      expect(conflict.field).toBeNull();
      expect(conflict.base).toEqual(service('B'));
      expect(conflict.design).toEqual(service(c.design) ?? null);
      expect(conflict.definitions).toEqual(service(c.definitions) ?? null);
      if (want.conflict.resolution === 'open') expect(conflict).not.toHaveProperty('value');
      else expect(conflict.value).toBeNull();
    } else {
      expect(conflict.field).toBe('layer');
      expect(conflict.base).toBe(c.base === 'N' ? null : LAYER.B);
      expect(conflict.design).toBe(LAYER.X);
      expect(conflict.definitions).toBe(LAYER.Y);
      if (want.conflict.resolution === 'open') expect(conflict).not.toHaveProperty('value');
      else expect(conflict.value).toBe(LAYER[want.merged as 'X' | 'Y']);
    }
  });
});

describe('mergeArchitectures: version conflicts', () => {
  const base = aService({ version: '1.0.0' });
  const table = [
    { design: '1.2.0', definitions: '1.1.0', higher: '1.2.0' },
    { design: '1.1.0', definitions: '2.0.0', higher: '2.0.0' },
    { design: '2.0.0-rc.1', definitions: '1.9.0', higher: '2.0.0-rc.1' },
    { design: '1.10.0', definitions: '1.9.0', higher: '1.10.0' },
  ];
  it.each(table)('higher-wins takes $higher from $design vs $definitions', (row) => {
    const result = mergeArchitectures({
      base: [base],
      design: [aService({ version: row.design })],
      definitions: [aService({ version: row.definitions })],
    });
    expect(result.merged[0]?.version).toBe(row.higher);
    expect(result.design[0]?.version).toBe(row.higher);
    expect(result.definitions[0]?.version).toBe(row.higher);
    expect(result.conflicts).toEqual([
      expect.objectContaining({
        kind: 'version',
        field: 'version',
        resolution: 'higher-version',
        value: row.higher,
        base: '1.0.0',
        design: row.design,
        definitions: row.definitions,
      }),
    ]);
  });

  it.each([
    { onConflict: 'design-wins', want: '1.1.0', resolution: 'design' },
    { onConflict: 'definitions-wins', want: '1.2.0', resolution: 'definitions' },
  ] as const)('versions: conflict settles by onConflict $onConflict', ({ onConflict, want, resolution }) => {
    const result = mergeArchitectures({
      base: [base],
      design: [aService({ version: '1.1.0' })],
      definitions: [aService({ version: '1.2.0' })],
      policy: { ...allMergePolicies()[0]!, versions: 'conflict', onConflict },
    });
    expect(result.merged[0]?.version).toBe(want);
    expect(result.conflicts[0]).toMatchObject({ kind: 'version', resolution });
  });

  it('a version removed on one side and changed on the other is settled by onConflict', () => {
    const { version: _v, ...withoutVersion } = aService();
    const result = mergeArchitectures({
      base: [base],
      design: [withoutVersion as ServiceDefinition],
      definitions: [aService({ version: '1.1.0' })],
    });
    expect(result.merged[0]).not.toHaveProperty('version');
    expect(result.conflicts[0]).toMatchObject({
      kind: 'version',
      resolution: 'design',
      design: null,
      definitions: '1.1.0',
    });
  });
});

describe('mergeArchitectures: fields and services merge independently', () => {
  it('takes each side’s edit of different fields without a conflict, unknown fields included', () => {
    const base = aService({ color: 'red' });
    const result = mergeArchitectures({
      base: [base],
      design: [aService({ layer: 'Edge', color: 'blue' })],
      definitions: [aService({ version: '2.1.0', owner: 'team-a', color: 'red' })],
    });
    expect(result.conflicts).toEqual([]);
    expect(result.merged[0]).toMatchObject({
      layer: 'Edge',
      version: '2.1.0',
      owner: 'team-a',
      color: 'blue',
    });
    expect(result.changes.design.fields).toEqual({ core: ['version', 'owner'] });
    expect(result.changes.definitions.fields).toEqual({ core: ['layer', 'color'] });
  });

  it('keeps the design order and appends services added in the definitions', () => {
    const a = aService({ id: 'a', name: 'A' });
    const b = aService({ id: 'b', name: 'B' });
    const c = aService({ id: 'c', name: 'C' });
    const result = mergeArchitectures({ base: [], design: [b, a], definitions: [c, a] });
    expect(result.design.map((s) => s.id)).toEqual(['b', 'a', 'c']);
    expect(result.changes.definitions.added).toEqual(['b']);
    expect(result.changes.design.added).toEqual(['c']);
  });

  it('an open manual conflict is found again, with the same fingerprint, until a side changes', () => {
    const policy = { ...allMergePolicies()[0]!, onConflict: 'manual' as const };
    const first = mergeArchitectures({
      base: [aService()],
      design: [aService({ layer: 'X' })],
      definitions: [aService({ layer: 'Y' })],
      policy,
    });
    const second = mergeArchitectures({
      base: first.merged,
      design: first.design,
      definitions: first.definitions,
      policy,
    });
    expect(second.conflicts.map((c) => c.fingerprint)).toEqual(first.conflicts.map((c) => c.fingerprint));
    const settled = mergeArchitectures({
      base: first.merged,
      design: first.design,
      definitions: [aService({ layer: 'X' })],
      policy,
    });
    expect(settled.conflicts).toEqual([]);
    expect(settled.merged[0]?.layer).toBe('X');
  });

  it('fingerprints differ for different values and are independent of key order', () => {
    const run = (d: ServiceDefinition, f: ServiceDefinition) =>
      mergeArchitectures({ base: [aService()], design: [d], definitions: [f] }).conflicts[0]?.fingerprint;
    // An unknown object field (kept, merged whole; metadata would merge key by key).
    const one = run(aService({ settings: { a: 1, b: 2 } }), aService({ settings: { a: 2 } }));
    const reordered = run(aService({ settings: { b: 2, a: 1 } }), aService({ settings: { a: 2 } }));
    const other = run(aService({ settings: { a: 1, b: 3 } }), aService({ settings: { a: 2 } }));
    expect(one).toBe(reordered);
    expect(one).not.toBe(other);
  });

  it('treats explicit null and an absent field as the same value', () => {
    const result = mergeArchitectures({
      base: [aService()],
      design: [aService({ note: null })],
      definitions: [aService()],
    });
    expect(result.conflicts).toEqual([]);
    expect(result.changes.definitions.updated).toEqual([]);
  });
});
