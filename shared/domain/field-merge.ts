import semver from 'semver';
import { type ConflictKind, conflictFingerprint, type MergeConflict } from './conflicts.ts';
import { sameValue } from './deep-equal.ts';
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
): FieldMergeOutcome {
  const out: FieldMergeOutcome = { design: {}, definitions: {}, base: {}, conflicts: [] };
  const fields = [
    ...new Set([...Object.keys(design), ...Object.keys(definitions), ...Object.keys(base ?? {})]),
  ];
  let openWithoutBase = false;
  for (const field of fields) {
    const b = base?.[field];
    const d = design[field];
    const f = definitions[field];
    let settled: { value: unknown } | undefined;
    if (sameValue(d, f) || sameValue(f, b)) settled = { value: d };
    else if (sameValue(d, b)) settled = { value: f };
    if (settled) {
      put(out, field, settled.value, settled.value, settled.value);
      continue;
    }
    const conflict = settleConflict(serviceId, field, base === undefined, b, d, f, policy);
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

function settleConflict(
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
