import type { FileIssue } from './files.ts';
import { measureJson } from './json-size.ts';
import type { LinkPolicy } from './policy.ts';
import { MAX_SNAPSHOT_BYTES } from './safe-input.ts';
import type { ServiceDefinition } from './service-schema.ts';
import type { MergeResult } from './three-way-merge.ts';

export const GUARD_CODES = [
  'design-unreadable',
  'definitions-unreadable',
  'design-empty',
  'definitions-empty',
  'too-many-deletions',
  'suspect-removals',
  'snapshot-too-large',
] as const;
export type GuardCode = (typeof GUARD_CODES)[number];

export interface GuardFinding {
  code: GuardCode;
  reason: string;
  /** True when a caller may go ahead by confirming (the deletion limit); false: fix the input first. */
  needsConfirmation: boolean;
}

export interface SafetyVerdict {
  /** write: go ahead; report-only: show the plan, write nothing; blocked: write nothing and report why. */
  action: 'write' | 'report-only' | 'blocked';
  findings: GuardFinding[];
}

export interface SafetyInput {
  base: readonly ServiceDefinition[];
  /** The design as read: unreadable designs carry their reason. */
  design: { ok: true; services: readonly ServiceDefinition[] } | { ok: false; reason: string };
  definitions: readonly ServiceDefinition[];
  invalidDefinitions?: readonly FileIssue[];
  /**
   * The merge planned from these inputs (absent when the design was unreadable); with the sides it
   * leaves, their size is checked too.
   */
  merge?: Pick<MergeResult, 'changes' | 'removedFrom'> & Partial<Pick<MergeResult, 'design' | 'definitions'>>;
  policy: Pick<LinkPolicy, 'maxDeletePercent' | 'mode'>;
  /** The caller confirmed a large deletion. */
  confirmDeletions?: boolean;
  /** Services whose removal or restoration a person decided (settled conflicts): never counted. */
  decided?: readonly string[];
}

/** Every guard at once: a sync writes only when the verdict's action is `write`. */
export function checkSyncSafety(input: SafetyInput): SafetyVerdict {
  const findings: GuardFinding[] = [];
  if (!input.design.ok) {
    findings.push({
      code: 'design-unreadable',
      reason: `design unreadable: ${input.design.reason}`,
      needsConfirmation: false,
    });
  } else {
    findings.push(...guardEmptySides(input.base, input.design.services, input.definitions));
  }
  if (input.invalidDefinitions && input.invalidDefinitions.length > 0) {
    const list = input.invalidDefinitions.map((f) => `${f.path} (${f.reason})`).join('; ');
    findings.push({
      code: 'definitions-unreadable',
      reason: `fix or remove the unreadable definition files first: ${list}`,
      needsConfirmation: false,
    });
  }
  if (input.merge && !input.confirmDeletions) {
    const decided = new Set(input.decided ?? []);
    const undecided = (ids: readonly string[]) => ids.filter((id) => !decided.has(id));
    const deletions = guardDeletions(
      {
        design: undecided(input.merge.changes.design.removed),
        definitions: undecided(input.merge.changes.definitions.removed),
      },
      input.design.ok ? input.design.services.length : 0,
      input.definitions.length,
      input.policy.maxDeletePercent,
    );
    findings.push(...deletions);
    // An emptied side or a mass deletion already says it; otherwise a side that dropped too much of
    // the base is held as a suspect export even when nothing would be deleted (removals for review).
    if (findings.length === 0) {
      findings.push(
        ...guardDroppedServices(
          {
            design: undecided(input.merge.removedFrom.design),
            definitions: undecided(input.merge.removedFrom.definitions),
          },
          input.base.length,
          input.policy.maxDeletePercent,
        ),
      );
    }
  }
  if (input.merge) findings.push(...guardSnapshotSize(input.merge));
  const action =
    findings.length > 0 ? 'blocked' : input.policy.mode === 'report-only' ? 'report-only' : 'write';
  return { action, findings };
}

/**
 * An emptied side never wipes the other: when the base and one side have services and the other
 * side has none, that is taken as an accident (a truncated export, a deleted folder), not an edit.
 * Before the first sync (empty base) a side may be empty: it is filled from the other.
 */
export function guardEmptySides(
  base: readonly ServiceDefinition[],
  design: readonly ServiceDefinition[],
  definitions: readonly ServiceDefinition[],
): GuardFinding[] {
  if (base.length === 0) return [];
  if (design.length === 0 && definitions.length > 0) {
    return [
      {
        code: 'design-empty',
        reason: `the design has no services but the repository defines ${definitions.length}; an empty design is never written over the repository`,
        needsConfirmation: false,
      },
    ];
  }
  if (definitions.length === 0 && design.length > 0) {
    return [
      {
        code: 'definitions-empty',
        reason: `the repository defines no services but the design has ${design.length}; empty definitions are never written over the design`,
        needsConfirmation: false,
      },
    ];
  }
  return [];
}

/** Stops a merge that would delete more than `maxDeletePercent` of either side's services. */
export function guardDeletions(
  removed: { design: readonly string[]; definitions: readonly string[] },
  designCount: number,
  definitionsCount: number,
  maxDeletePercent: number,
): GuardFinding[] {
  const findings: GuardFinding[] = [];
  const sides = [
    ['design', removed.design, designCount],
    ['definitions', removed.definitions, definitionsCount],
  ] as const;
  for (const [side, ids, count] of sides) {
    if (count === 0 || ids.length === 0) continue;
    const percent = (ids.length / count) * 100;
    if (percent > maxDeletePercent) {
      findings.push({
        code: 'too-many-deletions',
        reason: `this sync would delete ${ids.length} of ${count} services from the ${side} (${Math.round(percent)}%, limit ${maxDeletePercent}%): ${listSome(ids)}; confirm to go ahead`,
        needsConfirmation: true,
      });
    }
  }
  return findings;
}

/**
 * Holds an export (or a repository) that dropped more than `maxDeletePercent` of the services the
 * last sync agreed on: more likely a truncated file than a decision. Nothing is written and no
 * removal is recorded for review, so one message stands for the lot instead of hundreds of issues.
 */
export function guardDroppedServices(
  dropped: { design: readonly string[]; definitions: readonly string[] },
  baseCount: number,
  maxDeletePercent: number,
): GuardFinding[] {
  if (baseCount === 0) return [];
  const findings: GuardFinding[] = [];
  for (const side of ['design', 'definitions'] as const) {
    const ids = dropped[side];
    const percent = (ids.length / baseCount) * 100;
    if (ids.length === 0 || percent <= maxDeletePercent) continue;
    const where = side === 'design' ? 'the design' : 'the repository’s definitions';
    findings.push({
      code: 'suspect-removals',
      reason: `${side === 'design' ? 'the design' : 'the definitions'} dropped ${ids.length} of the ${baseCount} services (${Math.round(percent)}%, limit ${maxDeletePercent}%): ${listSome(ids)}; held as a suspect export, nothing was written. Restore them in ${where}, or raise the link's maxDeletePercent to review the removals one by one`,
      needsConfirmation: true,
    });
  }
  return findings;
}

const LISTED = 10;

/** The first ten ids, then how many more: a finding stays one readable line at any scale. */
function listSome(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED).join(', ');
  return ids.length > LISTED ? `${shown} and ${ids.length - LISTED} more` : shown;
}

/**
 * Each side passed MAX_SNAPSHOT_BYTES when read, but a merge can bring one side the other's
 * services too. A side larger than a snapshot after the merge is not written: its base snapshot
 * could not be recorded, and the next sync would find it unreadable.
 */
export function guardSnapshotSize(
  merge: Partial<Pick<MergeResult, 'design' | 'definitions'>>,
): GuardFinding[] {
  for (const side of ['design', 'definitions'] as const) {
    const services = merge[side];
    if (!services) continue;
    const size = measureJson(services, MAX_SNAPSHOT_BYTES);
    if (size.ok) continue;
    return [
      {
        code: 'snapshot-too-large',
        reason: `after this sync the ${side} would hold more than ${MAX_SNAPSHOT_BYTES} bytes of services, the limit of one link; split the architecture across links or trim large metadata`,
        needsConfirmation: false,
      },
    ];
  }
  return [];
}
