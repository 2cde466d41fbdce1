import { createHash } from 'node:crypto';
import type { ArchitectureDiff, ServiceBrief, ServiceChange, SideDiff, VersionBump } from './change-diff.ts';

/**
 * Plain-language summaries of a sync's structured diff: the deterministic one (no model needed), the
 * data a model writes its paragraph from, and the fingerprint both are cached under.
 */

/** Services named one by one in a category before "and N more". */
const LISTED = 25;
/** Services of each list a model is shown (the counts say how many there are in all). */
const SHOWN_TO_MODEL = 40;
const MAX_SUMMARY = 3000;
/** Bumped when the instructions or the data shape change, so cached paragraphs are written again. */
export const SUMMARY_PROMPT_VERSION = 'change-summary/1';

const MEANING: Record<VersionBump, string> = {
  major: 'a major version: incompatible changes to what it offers',
  premajor: 'a pre-release of a major version: incompatible changes to come, not yet stable',
  minor: 'a minor version: new features, still backwards compatible',
  preminor: 'a pre-release of a minor version: new compatible features, not yet stable',
  patch: 'a patch: backwards-compatible fixes only',
  prepatch: 'a pre-release of a patch',
  prerelease: 'a new pre-release: not yet stable',
  release: 'the stable release of its pre-release',
  downgrade: 'a lower version than before: a rollback',
  set: 'its first recorded version',
  cleared: 'no version recorded any more',
  other: 'a version change',
};

/** What a version change means under semver; 0.x is initial development, where anything may break. */
export function bumpMeaning(bump: VersionBump, from: string | null): string {
  const initial = from?.startsWith('0.') === true;
  if (initial && (bump === 'minor' || bump === 'preminor')) {
    return 'a minor version in initial development (0.x): it may break compatibility';
  }
  return MEANING[bump];
}

/** The deterministic summary: a short paragraph per side that changes, built from the diff alone. */
export function summarizeChanges(diff: ArchitectureDiff): string {
  const parts: string[] = [];
  const definitions = sideSentences(diff.definitions);
  if (definitions.length > 0) parts.push(`In the definitions (from the design): ${definitions.join(' ')}`);
  const design = sideSentences(diff.design);
  if (design.length > 0) parts.push(`In the design (from the definitions): ${design.join(' ')}`);
  if (parts.length === 0) return 'No service changes.';
  return clip(parts.join(' '), MAX_SUMMARY);
}

/** The fingerprint of a diff: equal diffs (whatever run or commit) share their summary. */
export function changeSummaryFingerprint(diff: ArchitectureDiff): string {
  return createHash('sha256')
    .update(SUMMARY_PROMPT_VERSION)
    .update('\0')
    .update(JSON.stringify(diff))
    .digest('hex')
    .slice(0, 32);
}

/** The diff as a model sees it: JSON, each list cut to SHOWN_TO_MODEL entries with its full count. */
export function summaryData(diff: ArchitectureDiff): string {
  const side = (s: SideDiff) => ({
    counts: { added: s.added.length, removed: s.removed.length, changed: s.changed.length },
    added: s.added.slice(0, SHOWN_TO_MODEL),
    removed: s.removed.slice(0, SHOWN_TO_MODEL),
    changed: s.changed.slice(0, SHOWN_TO_MODEL).map((c) => ({
      ...c,
      ...(c.version
        ? { version: { ...c.version, meaning: bumpMeaning(c.version.bump, c.version.from) } }
        : {}),
    })),
  });
  return JSON.stringify({
    toDefinitionsFromDesign: side(diff.definitions),
    toDesignFromDefinitions: side(diff.design),
  });
}

function sideSentences(side: SideDiff): string[] {
  const out: string[] = [];
  if (side.added.length > 0) {
    out.push(`Adds ${count(side.added.length, 'service')}: ${listed(side.added, addedItem, '; ')}.`);
  }
  if (side.removed.length > 0) {
    out.push(`Removes ${count(side.removed.length, 'service')}: ${listed(side.removed, removedItem, '; ')}.`);
  }
  const changed = side.changed.filter((c) => facts(c).length > 0);
  for (const c of changed.slice(0, LISTED)) out.push(`${label(c)}: ${facts(c).join('; ')}.`);
  if (changed.length > LISTED) out.push(`${changed.length - LISTED} more services change.`);
  return out;
}

function addedItem(s: ServiceBrief): string {
  const details = [
    s.layer ? `layer ${s.layer}` : undefined,
    s.version ? `version ${s.version}` : undefined,
    s.technologies.length > 0 ? `built with ${join(s.technologies)}` : undefined,
    s.dependencies.length > 0 ? `depending on ${join(s.dependencies)}` : undefined,
  ].filter((d) => d !== undefined);
  return `${label(s)}${details.length > 0 ? `, ${details.join(', ')}` : ''}`;
}

function removedItem(s: ServiceBrief): string {
  const still = s.dependents.length > 0 ? `, still a dependency of ${join(s.dependents)}` : '';
  return `${label(s)}${still}`;
}

function facts(c: ServiceChange): string[] {
  const out: string[] = [];
  if (c.renamed) out.push(`renamed from ${c.renamed.from ?? 'no name'}`);
  if (c.version) {
    const { from, to, bump } = c.version;
    const move = from && to ? `version ${from} to ${to}` : to ? `version ${to}` : `version ${from} removed`;
    const breaking = (bump === 'major' || bump === 'premajor') && c.dependents.length > 0;
    const check = breaking
      ? `; ${join(c.dependents)} depend${c.dependents.length === 1 ? 's' : ''} on it`
      : '';
    out.push(`${move}, ${bumpMeaning(bump, from)}${check}`);
  }
  if (c.layer) {
    const { from, to } = c.layer;
    out.push(
      from && to ? `moves from layer ${from} to ${to}` : to ? `now in layer ${to}` : `leaves layer ${from}`,
    );
  }
  if (c.status) out.push(`status ${c.status.from ?? 'unset'} to ${c.status.to ?? 'unset'}`);
  if (c.dependencies) {
    const { added, removed } = c.dependencies;
    if (added.length > 0) out.push(`now depends on ${join(added)}`);
    if (removed.length > 0) out.push(`no longer depends on ${join(removed)}`);
  }
  if (c.technologies) {
    const { added, removed } = c.technologies;
    if (added.length > 0) out.push(`adds ${join(added)}`);
    if (removed.length > 0) out.push(`drops ${join(removed)}`);
  }
  if (c.path) out.push(`code path ${c.path.from ?? 'unset'} to ${c.path.to ?? 'unset'}`);
  if (c.description) out.push('description changed');
  if (c.otherFields.length > 0) out.push(`also changes ${join(c.otherFields)}`);
  return out;
}

function label(s: { id: string; name: string }): string {
  return s.name === s.id ? s.id : `${s.name} (${s.id})`;
}

function listed<T>(items: readonly T[], render: (item: T) => string, separator: string): string {
  const shown = items.slice(0, LISTED).map(render);
  if (items.length > LISTED) shown.push(`and ${items.length - LISTED} more`);
  return shown.join(separator);
}

function join(items: readonly string[]): string {
  const shown = items.slice(0, LISTED);
  const rest = items.length - shown.length;
  const list = rest > 0 ? [...shown, `${rest} more`] : shown;
  if (list.length <= 1) return list.join('');
  return `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
