import { conflictFingerprint, type MergeConflict } from './conflicts.ts';
import { deepEqual, sameValue } from './deep-equal.ts';
import { mergeFields } from './field-merge.ts';
import { DEFAULT_POLICY, type LinkPolicy } from './policy.ts';
import { applyResolutions, type ConflictResolution } from './resolve-conflict.ts';
import type { ServiceDefinition } from './service-schema.ts';

/** What one side must do to reach the merged state. */
export interface SideChanges {
  added: string[];
  updated: string[];
  removed: string[];
  /** For each updated service, the fields that change. */
  fields: Record<string, string[]>;
}

export interface MergeInput {
  /** The last synced snapshot ([] before the first sync). */
  base: readonly ServiceDefinition[];
  design: readonly ServiceDefinition[];
  definitions: readonly ServiceDefinition[];
  policy?: LinkPolicy;
  /**
   * Decisions from `resolveConflict`, applied to both sides before merging so they agree; the
   * changes are still reported against the sides as given, so the decision gets written.
   */
  resolutions?: readonly ConflictResolution[];
}

export interface MergeResult {
  /** The new base snapshot to store. Open conflicts keep their base value here, so they are found again. */
  merged: ServiceDefinition[];
  /** What the design must hold after the sync (design order first, then new services). */
  design: ServiceDefinition[];
  /** What the definitions must hold after the sync. */
  definitions: ServiceDefinition[];
  changes: { design: SideChanges; definitions: SideChanges };
  conflicts: MergeConflict[];
  /**
   * Services of the base that one side no longer has (deleted everywhere under `propagate`, waiting
   * for review under `manual`): `design` lists what the design dropped. The deletion guard counts them.
   */
  removedFrom: { design: string[]; definitions: string[] };
}

/**
 * Three-way merge of the design and the definitions against the last synced base, per service (by
 * id) and per field: a side equal to the base takes the other side; equal sides agree; otherwise the
 * policy settles it and the conflict is recorded. Manual conflicts lose nothing: each side keeps its
 * own value and the base keeps the old one. Removals: see `mergeRemoval`.
 */
export function mergeArchitectures(input: MergeInput): MergeResult {
  const policy = input.policy ?? DEFAULT_POLICY;
  const base = byId(input.base);
  const resolutions = input.resolutions ?? [];
  const design = byId(applyResolutions(input.design, resolutions));
  const definitions = byId(applyResolutions(input.definitions, resolutions));
  const ids = [...new Set([...design.keys(), ...definitions.keys(), ...base.keys()])];
  const merged: ServiceDefinition[] = [];
  const nextDesign: ServiceDefinition[] = [];
  const nextDefinitions: ServiceDefinition[] = [];
  const conflicts: MergeConflict[] = [];
  const removedFrom: MergeResult['removedFrom'] = { design: [], definitions: [] };

  for (const id of ids) {
    const b = base.get(id);
    const d = design.get(id);
    const f = definitions.get(id);
    if (d && f) {
      const outcome = mergeFields(id, b, d, f, policy);
      nextDesign.push(outcome.design as ServiceDefinition);
      nextDefinitions.push(outcome.definitions as ServiceDefinition);
      if (outcome.base) merged.push(outcome.base as ServiceDefinition);
      conflicts.push(...outcome.conflicts);
    } else if (d || f) {
      const kept = (d ?? f) as ServiceDefinition;
      const removal = b ? mergeRemoval(id, b, d, f, policy) : undefined;
      if (removal) conflicts.push(...removal.conflicts);
      if (!removal) {
        merged.push(kept);
        nextDesign.push(kept);
        nextDefinitions.push(kept);
      } else if (removal.awaitingReview && b) {
        // Neither side changes until someone decides; the base keeps the service, so the removal is
        // found again (and the same conflict with it) on every sync until then.
        merged.push(b);
        if (d) nextDesign.push(d);
        if (f) nextDefinitions.push(f);
        (d ? removedFrom.definitions : removedFrom.design).push(id);
      } else {
        (d ? removedFrom.definitions : removedFrom.design).push(id);
      }
    }
    // Absent on both sides: removed everywhere (or never there); nothing to carry.
  }
  return {
    merged,
    design: nextDesign,
    definitions: nextDefinitions,
    changes: {
      design: diffServices(input.design, nextDesign),
      definitions: diffServices(input.definitions, nextDefinitions),
    },
    conflicts,
    removedFrom,
  };
}

/**
 * A service in the base that one side removed. `propagate` deletes it (recording a conflict when the
 * other side had changed it, so the lost edit is on record). `manual` leaves both sides as they are
 * and records an open conflict for review (the spec opens a GitHub issue): re-adding the service to
 * the side that dropped it would undo a deliberate removal, deleting it would lose the other side.
 */
function mergeRemoval(
  id: string,
  base: ServiceDefinition,
  design: ServiceDefinition | undefined,
  definitions: ServiceDefinition | undefined,
  policy: LinkPolicy,
): { awaitingReview: boolean; conflicts: MergeConflict[] } {
  const kept = (design ?? definitions) as ServiceDefinition;
  const changed = !deepEqual(kept, base);
  if (policy.onRemoval === 'propagate' && !changed) return { awaitingReview: false, conflicts: [] };
  const propagate = policy.onRemoval === 'propagate';
  const conflict: MergeConflict = {
    fingerprint: conflictFingerprint(id, null, design, definitions),
    serviceId: id,
    field: null,
    kind: 'removal',
    base,
    design: design ?? null,
    definitions: definitions ?? null,
    ...(propagate ? { resolution: 'deleted' as const, value: null } : { resolution: 'open' as const }),
    needsReview: !propagate,
  };
  return { awaitingReview: !propagate, conflicts: [conflict] };
}

/** Added, updated (with the changed fields) and removed services from `before` to `after`. */
export function diffServices(
  before: readonly ServiceDefinition[],
  after: readonly ServiceDefinition[],
): SideChanges {
  const old = byId(before);
  const next = byId(after);
  const changes: SideChanges = { added: [], updated: [], removed: [], fields: {} };
  for (const [id, service] of next) {
    const previous = old.get(id);
    if (!previous) {
      changes.added.push(id);
      continue;
    }
    const keys = [...new Set([...Object.keys(previous), ...Object.keys(service)])];
    const fields = keys.filter(
      (k) => !sameValue((previous as Record<string, unknown>)[k], (service as Record<string, unknown>)[k]),
    );
    if (fields.length > 0) {
      changes.updated.push(id);
      changes.fields[id] = fields;
    }
  }
  for (const id of old.keys()) if (!next.has(id)) changes.removed.push(id);
  return changes;
}

function byId(services: readonly ServiceDefinition[]): Map<string, ServiceDefinition> {
  return new Map(services.map((s) => [s.id, s]));
}
