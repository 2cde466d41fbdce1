import { describe, expect, it } from 'vitest';
import {
  applyResolutions,
  LinkPolicy,
  mergeArchitectures,
  resolveConflict,
  type ServiceDefinition,
} from '../../../shared/domain/index.ts';
import { aService } from './builders.ts';

const manual = LinkPolicy.parse({ onConflict: 'manual' });
const merge = (
  base: Partial<ServiceDefinition>,
  design: Partial<ServiceDefinition>,
  definitions: Partial<ServiceDefinition>,
  policy = manual,
) =>
  mergeArchitectures({
    base: [aService(base)],
    design: [aService(design)],
    definitions: [aService(definitions)],
    policy,
  });

describe('metadata merges key by key', () => {
  it('keeps an edit of one key on each side, with no conflict', () => {
    const r = merge(
      { metadata: { owner: 'core', tier: 1 } },
      { metadata: { owner: 'platform', tier: 1 } },
      { metadata: { owner: 'core', tier: 2, sla: '99.9' } },
    );
    expect(r.conflicts).toEqual([]);
    const want = { owner: 'platform', tier: 2, sla: '99.9' };
    for (const side of [r.merged, r.design, r.definitions]) expect(side[0]?.metadata).toEqual(want);
  });

  it('removes a key one side removed and the other left alone, and drops metadata emptied that way', () => {
    const r = merge({ metadata: { owner: 'core' } }, {}, { metadata: { owner: 'core' } });
    expect(r.conflicts).toEqual([]);
    expect(r.definitions[0]).not.toHaveProperty('metadata');
    expect(r.merged[0]).not.toHaveProperty('metadata');
  });

  it('adds metadata both sides added, when their keys differ', () => {
    const r = merge({}, { metadata: { owner: 'core' } }, { metadata: { tier: 3 } });
    expect(r.conflicts).toEqual([]);
    expect(r.definitions[0]?.metadata).toEqual({ owner: 'core', tier: 3 });
  });

  it('records a conflict on the one key both sides changed, named metadata.<key>, and resolves it', () => {
    const r = merge(
      { metadata: { owner: 'core', tier: 1 } },
      { metadata: { owner: 'platform', tier: 1 } },
      { metadata: { owner: 'payments', tier: 2 } },
    );
    expect(r.conflicts).toHaveLength(1);
    const [conflict] = r.conflicts;
    expect(conflict).toMatchObject({
      serviceId: 'core',
      field: 'metadata.owner',
      kind: 'field',
      resolution: 'open',
      base: 'core',
      design: 'platform',
      definitions: 'payments',
    });
    // The other key still merged; the open one keeps each side's value and the base's.
    expect(r.design[0]?.metadata).toEqual({ owner: 'platform', tier: 2 });
    expect(r.definitions[0]?.metadata).toEqual({ owner: 'payments', tier: 2 });
    expect(r.merged[0]?.metadata).toEqual({ owner: 'core', tier: 2 });

    const resolution = resolveConflict(conflict!, 'definitions');
    expect(resolution).toEqual({ serviceId: 'core', field: 'metadata.owner', value: 'payments' });
    const [resolved] = applyResolutions(r.design, [resolution]);
    expect(resolved?.metadata).toEqual({ owner: 'payments', tier: 2 });
    const [removed] = applyResolutions(
      [aService({ metadata: { owner: 'x' } })],
      [resolveConflict(conflict!, 'value', null)],
    );
    expect(removed).not.toHaveProperty('metadata');
  });

  it('settles a metadata key by the link policy, like any field', () => {
    const r = merge(
      { metadata: { owner: 'core' } },
      { metadata: { owner: 'platform' } },
      { metadata: { owner: 'payments' } },
      LinkPolicy.parse({ onConflict: 'design-wins' }),
    );
    expect(r.conflicts).toMatchObject([{ field: 'metadata.owner', resolution: 'design' }]);
    expect(r.definitions[0]?.metadata).toEqual({ owner: 'platform' });
  });

  it('a metadata key named version is not a version conflict', () => {
    const r = merge(
      { metadata: { version: '1.0.0' } },
      { metadata: { version: '1.1.0' } },
      { metadata: { version: '2.0.0' } },
    );
    expect(r.conflicts).toMatchObject([{ field: 'metadata.version', kind: 'field', resolution: 'open' }]);
  });

  it('still merges metadata whole when one side is not an object', () => {
    const r = merge({ metadata: { a: 1 } }, { metadata: { a: 2 } }, { metadata: 'n/a' as never });
    expect(r.conflicts).toMatchObject([{ field: 'metadata', resolution: 'open' }]);
  });
});

describe('technologies and dependencies are sets', () => {
  it('a reordering alone is no change on either side', () => {
    const r = merge(
      { technologies: ['A', 'B', 'C'] },
      { technologies: ['C', 'B', 'A'] },
      { technologies: ['A', 'B', 'C'] },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.design[0]?.technologies).toEqual(['C', 'B', 'A']);
    expect(r.definitions[0]?.technologies).toEqual(['A', 'B', 'C']);
  });

  it('a reordering against the base is no change either: the other side’s edit wins, nothing is lost', () => {
    for (const policy of ['manual', 'design-wins', 'definitions-wins'] as const) {
      const r = merge(
        { technologies: ['a', 'b'] },
        { technologies: ['b', 'a'] },
        { technologies: ['a', 'b', 'c'] },
        LinkPolicy.parse({ onConflict: policy }),
      );
      expect(r.conflicts, policy).toEqual([]);
      expect(r.design[0]?.technologies, policy).toEqual(['a', 'b', 'c']);
      expect(r.definitions[0]?.technologies, policy).toEqual(['a', 'b', 'c']);
    }
    // Reordered on one side only: nothing to write anywhere.
    const r = merge({ dependencies: ['x', 'y'] }, { dependencies: ['y', 'x'] }, { dependencies: ['x', 'y'] });
    expect(r.changes.definitions.updated).toEqual([]);
    expect(r.changes.design.updated).toEqual([]);
  });

  it('a real change still wins over the base', () => {
    const r = merge({ dependencies: ['a'] }, { dependencies: ['a', 'b'] }, { dependencies: ['a'] });
    expect(r.definitions[0]?.dependencies).toEqual(['a', 'b']);
  });

  it('additions on both sides are a union, not a conflict, under every policy', () => {
    for (const policy of ['manual', 'design-wins', 'definitions-wins'] as const) {
      const r = merge(
        { technologies: ['Python', 'REST'] },
        { technologies: ['Python', 'REST', 'Redis'] },
        { technologies: ['Kafka', 'Python', 'REST'] },
        LinkPolicy.parse({ onConflict: policy }),
      );
      expect(r.conflicts, policy).toEqual([]);
      // Each side keeps its own order and gains the other side's addition.
      expect(r.design[0]?.technologies, policy).toEqual(['Python', 'REST', 'Redis', 'Kafka']);
      expect(r.definitions[0]?.technologies, policy).toEqual(['Kafka', 'Python', 'REST', 'Redis']);
      expect(r.merged[0]?.technologies, policy).toEqual(['Python', 'REST', 'Redis', 'Kafka']);
      expect(r.changes.design.fields.core, policy).toEqual(['technologies']);
      expect(r.changes.definitions.fields.core, policy).toEqual(['technologies']);
    }
  });

  it('an entry removed on both sides goes, additions still join', () => {
    const r = merge(
      { dependencies: ['a', 'b', 'c'] },
      { dependencies: ['a', 'c', 'd'] },
      { dependencies: ['e', 'a', 'c'] },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.design[0]?.dependencies).toEqual(['a', 'c', 'd', 'e']);
    expect(r.definitions[0]?.dependencies).toEqual(['e', 'a', 'c', 'd']);
  });

  it('one side removing what the other still has, while both changed the set, is a conflict', () => {
    const r = merge(
      { technologies: ['Python', 'REST'] },
      { technologies: ['Python'] },
      { technologies: ['Python', 'REST', 'Kafka'] },
    );
    expect(r.conflicts).toMatchObject([
      {
        field: 'technologies',
        resolution: 'open',
        base: ['Python', 'REST'],
        design: ['Python'],
        definitions: ['Python', 'REST', 'Kafka'],
      },
    ]);
    expect(r.design[0]?.technologies).toEqual(['Python']);
    expect(r.definitions[0]?.technologies).toEqual(['Python', 'REST', 'Kafka']);
  });

  it('a removal on one side alone is no conflict: the unchanged side follows', () => {
    const r = merge(
      { technologies: ['Python', 'REST'] },
      { technologies: ['Python'] },
      { technologies: ['REST', 'Python'] },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.definitions[0]?.technologies).toEqual(['Python']);
  });

  it('two services added on both sides with different sets merge as a union too', () => {
    const r = mergeArchitectures({
      base: [],
      design: [aService({ technologies: ['Go'] })],
      definitions: [aService({ technologies: ['Rust'] })],
      policy: manual,
    });
    expect(r.conflicts).toEqual([]);
    expect(r.design[0]?.technologies).toEqual(['Go', 'Rust']);
    expect(r.merged[0]?.technologies).toEqual(['Go', 'Rust']);
  });
});
