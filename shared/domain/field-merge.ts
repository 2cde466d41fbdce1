import semver from 'semver';
import { type ConflictKind, conflictFingerprint, type MergeConflict, stableStringify } from './conflicts.ts';
import { deepEqual, sameValue } from './deep-equal.ts';
import type { LinkPolicy } from './policy.ts';

type Fields = Record<string, unknown>;

export interface FieldMergeOutcome {
  design: Fields;
  definitions: Fields;
  /** The new base for this service; undefined when it must stay out of the base (open add-add). */
  base: Fields | undefined;
  conflicts: MergeConflict[];
}

/**
 * Three-way merge of one service present on both sides, field by field. `base` is undefined when
 * both sides added the service independently (conflicts are then of kind add-add).
 */
export function mergeFields(
  serviceId: string,
  base: Fields | undefined,
  design: Fields,
  definitions: Fields,
  policy: LinkPolicy,
  /** Set when merging the keys of a nested field: `metadata.` (the service-level rules then do not apply). */
  prefix = '',
): FieldMergeOutcome {
  const out: FieldMergeOutcome = { design: {}, definitions: {}, base: {}, conflicts: [] };
  let openWithoutBase = false;
  const topLevel = prefix === '';
  for (const field of keysOf(base, design, definitions)) {
    const b = base?.[field];
    const d = design[field];
    const f = definitions[field];
    if (topLevel && field === NESTED_FIELD && mergeable(b) && mergeable(d) && mergeable(f)) {
      // Key by key, so an edit of one metadata entry on each side is no conflict. Metadata absent
      // from an existing base is "no keys" (only a service added on both sides has no base at all).
      const nestedBase = base === undefined ? undefined : (b ?? {});
      const nested = mergeFields(serviceId, nestedBase, d ?? {}, f ?? {}, policy, `${NESTED_FIELD}.`);
      out.conflicts.push(...nested.conflicts);
      if (nested.base === undefined) openWithoutBase = true;
      put(
        out,
        field,
        orAbsent(nested.design, d, f),
        orAbsent(nested.definitions, f, d),
        orAbsent(nested.base ?? {}, b, d),
      );
      continue;
    }
    // Set-like lists compare without their order, against each other and against the base alike.
    const same = (x: unknown, y: unknown) => sameValue(x, y) || (topLevel && sameAsSet(field, x, y));
    if (same(d, f)) {
      // Equal (for a set-like list: the same entries): each side keeps its own order; nothing to write.
      put(out, field, d, f, d);
      continue;
    }
    let settled: { value: unknown } | undefined;
    if (same(f, b)) settled = { value: d };
    else if (same(d, b)) settled = { value: f };
    if (settled) {
      put(out, field, settled.value, settled.value, settled.value);
      continue;
    }
    const union = topLevel ? mergeSets(field, b, d, f) : undefined;
    if (union) {
      put(out, field, union.design, union.definitions, union.design);
      continue;
    }
    const conflict = settleFieldConflict(serviceId, `${prefix}${field}`, base === undefined, b, d, f, policy);
    out.conflicts.push(conflict);
    if (conflict.resolution === 'open') {
      put(out, field, d, f, b);
      if (base === undefined) openWithoutBase = true;
    } else {
      const winner =
        conflict.resolution === 'design' ? d : conflict.resolution === 'definitions' ? f : conflict.value;
      put(out, field, winner, winner, winner);
    }
  }
  if (openWithoutBase) out.base = undefined;
  return out;
}

/** The field merged key by key (conflicts name `metadata.<key>`). */
export const NESTED_FIELD = 'metadata';

/** List fields whose order carries no meaning: a reordering alone is no change. */
const SET_FIELDS = new Set(['technologies', 'dependencies']);

/** Whether `field` (a service-level field name) is a list whose order carries no meaning. */
export function isSetField(field: string): boolean {
  return SET_FIELDS.has(field);
}

/** `first` followed by the entries of `second` it lacks (entries compared as JSON, keys sorted). */
export function unionOfSets(first: readonly unknown[], second: readonly unknown[]): unknown[] {
  const inFirst = new Set(first.map((v) => stableStringify(v)));
  return [...first, ...second.filter((v) => !inFirst.has(stableStringify(v)))];
}

function keysOf(...objects: Array<Fields | undefined>): string[] {
  return [...new Set(objects.flatMap((o) => Object.keys(o ?? {})))];
}

function mergeable(value: unknown): value is Fields | undefined {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

/**
 * A merged object that came out empty: a side that had none or an empty one keeps what it had; a
 * side whose keys were all removed follows the other side (absent there: absent here too).
 */
function orAbsent(merged: Fields, own: unknown, other: unknown): Fields | undefined {
  if (Object.keys(merged).length > 0) return merged;
  if (own === undefined) return undefined;
  if (Object.keys(own as Fields).length === 0) return merged;
  return other === undefined ? undefined : merged;
}

function sameAsSet(field: string, a: unknown, b: unknown): boolean {
  if (!SET_FIELDS.has(field) || !Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  const key = (v: unknown) => JSON.stringify(v);
  const sorted = (xs: unknown[]) => xs.map(key).sort();
  return deepEqual(sorted(a), sorted(b));
}

/**
 * Both sides changed a set-like list: entries either side added join (a union, each side keeping its
 * own order and gaining the other's additions at the end); entries both removed go. Undefined when
 * one side removed an entry the other still has: that is a real disagreement, settled as a conflict.
 */
function mergeSets(
  field: string,
  b: unknown,
  d: unknown,
  f: unknown,
): { design: unknown[]; definitions: unknown[] } | undefined {
  if (!SET_FIELDS.has(field) || !Array.isArray(d) || !Array.isArray(f)) return undefined;
  if (b !== undefined && !Array.isArray(b)) return undefined;
  const key = (v: unknown) => stableStringify(v);
  const inBase = new Set((b ?? []).map(key));
  const inDesign = new Set(d.map(key));
  const inDefinitions = new Set(f.map(key));
  for (const entry of inBase) {
    if (inDesign.has(entry) !== inDefinitions.has(entry)) return undefined;
  }
  return { design: unionOfSets(d, f), definitions: unionOfSets(f, d) };
}

/**
 * How `policy` settles one field both sides changed differently (`added`: the service has no base,
 * both sides added it). The conflict suggestions ask it too, with the policies a person could pick.
 */
export function settleFieldConflict(
  serviceId: string,
  field: string,
  added: boolean,
  b: unknown,
  d: unknown,
  f: unknown,
  policy: LinkPolicy,
): MergeConflict {
  const kind: ConflictKind = field === 'version' ? 'version' : added ? 'add-add' : 'field';
  const common = {
    fingerprint: conflictFingerprint(serviceId, field, d, f),
    serviceId,
    field,
    kind,
    base: b ?? null,
    design: d ?? null,
    definitions: f ?? null,
  };
  if (kind === 'version' && policy.versions === 'higher-wins' && isSemver(d) && isSemver(f)) {
    return { ...common, resolution: 'higher-version', value: semver.gt(d, f) ? d : f, needsReview: false };
  }
  switch (policy.onConflict) {
    case 'design-wins':
      return { ...common, resolution: 'design', value: d ?? null, needsReview: false };
    case 'definitions-wins':
      return { ...common, resolution: 'definitions', value: f ?? null, needsReview: false };
    case 'manual':
      return { ...common, resolution: 'open', needsReview: true };
  }
}

function put(out: FieldMergeOutcome, field: string, design: unknown, definitions: unknown, base: unknown) {
  if (design !== undefined) out.design[field] = design;
  if (definitions !== undefined) out.definitions[field] = definitions;
  if (out.base && base !== undefined) out.base[field] = base;
}

function isSemver(value: unknown): value is string {
  return typeof value === 'string' && semver.valid(value) !== null;
}
