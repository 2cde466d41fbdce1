import semver from 'semver';
import { sameValue } from './deep-equal.ts';
import type { ServiceDefinition } from './service-schema.ts';
import type { SideChanges } from './three-way-merge.ts';

/**
 * The structured diff of one side of a sync, what a change summary is written from (by the
 * deterministic summary, or by a model): never the files themselves. Lists are sorted by id, so the
 * same changes always give the same diff (and the same fingerprint).
 */
export type VersionBump =
  | 'major'
  | 'premajor'
  | 'minor'
  | 'preminor'
  | 'patch'
  | 'prepatch'
  | 'prerelease'
  | 'release'
  | 'downgrade'
  | 'set'
  | 'cleared'
  | 'other';

export interface ServiceBrief {
  id: string;
  name: string;
  layer?: string;
  version?: string;
  status?: string;
  technologies: string[];
  dependencies: string[];
  /** Services that depend on this one (after the change). */
  dependents: string[];
  /** A free `description` field, cut to MAX_DESCRIPTION: design text, data only. */
  description?: string;
}

export interface FromTo {
  from: string | null;
  to: string | null;
}

export interface ServiceChange {
  id: string;
  name: string;
  renamed?: FromTo;
  layer?: FromTo;
  version?: FromTo & { bump: VersionBump };
  status?: FromTo;
  path?: FromTo;
  technologies?: { added: string[]; removed: string[] };
  dependencies?: { added: string[]; removed: string[] };
  description?: FromTo;
  /** Services that depend on this one (after the change). */
  dependents: string[];
  /** Other changed fields, by name only. */
  otherFields: string[];
}

export interface SideDiff {
  added: ServiceBrief[];
  removed: ServiceBrief[];
  changed: ServiceChange[];
}

/** `definitions`: what this run writes to the repository (from the design); `design`: the reverse. */
export interface ArchitectureDiff {
  definitions: SideDiff;
  design: SideDiff;
}

const MAX_DESCRIPTION = 300;
const DESCRIBED = new Set([
  'id',
  'name',
  'layer',
  'version',
  'status',
  'path',
  'technologies',
  'dependencies',
  'description',
]);

export const EMPTY_SIDE_DIFF: SideDiff = { added: [], removed: [], changed: [] };

/** The semver meaning of a version change (`set`/`cleared` when one side has none). */
export function versionBump(from: string | undefined, to: string | undefined): VersionBump {
  if (!from) return 'set';
  if (!to) return 'cleared';
  if (!semver.valid(from) || !semver.valid(to)) return 'other';
  if (semver.lt(to, from)) return 'downgrade';
  // A pre-release becoming its own release (1.0.0-rc.1 → 1.0.0): semver.diff calls it `major`.
  const pre = semver.parse(from);
  if (pre && pre.prerelease.length > 0 && semver.eq(to, `${pre.major}.${pre.minor}.${pre.patch}`)) {
    return 'release';
  }
  const bump = semver.diff(from, to);
  return bump === null || bump === 'release' ? 'other' : bump;
}

/** The structured diff of one side, from the services before and after and the merge's change lists. */
export function sideDiff(
  before: readonly ServiceDefinition[],
  after: readonly ServiceDefinition[],
  changes: SideChanges,
): SideDiff {
  const old = new Map(before.map((s) => [s.id, s]));
  const next = new Map(after.map((s) => [s.id, s]));
  const dependents = dependentsOf(after);
  const brief = (s: ServiceDefinition) => briefOf(s, dependents.get(s.id) ?? []);
  const sorted = (ids: readonly string[]) => [...ids].sort();
  return {
    added: sorted(changes.added).flatMap((id) => {
      const s = next.get(id);
      return s ? [brief(s)] : [];
    }),
    removed: sorted(changes.removed).flatMap((id) => {
      const s = old.get(id);
      return s ? [brief(s)] : [];
    }),
    changed: sorted(changes.updated).flatMap((id) => {
      const a = old.get(id);
      const b = next.get(id);
      return a && b ? [changeOf(a, b, dependents.get(id) ?? [])] : [];
    }),
  };
}

export function isEmptyDiff(diff: ArchitectureDiff): boolean {
  const empty = (s: SideDiff) => s.added.length + s.removed.length + s.changed.length === 0;
  return empty(diff.definitions) && empty(diff.design);
}

function dependentsOf(services: readonly ServiceDefinition[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of services) {
    for (const dep of new Set(s.dependencies ?? [])) out.set(dep, [...(out.get(dep) ?? []), s.id]);
  }
  for (const list of out.values()) list.sort();
  return out;
}

function briefOf(s: ServiceDefinition, dependents: string[]): ServiceBrief {
  const description = descriptionOf(s);
  return {
    id: s.id,
    name: s.name,
    ...(s.layer ? { layer: s.layer } : {}),
    ...(s.version ? { version: s.version } : {}),
    ...(s.status ? { status: s.status } : {}),
    technologies: [...(s.technologies ?? [])],
    dependencies: [...(s.dependencies ?? [])].sort(),
    dependents,
    ...(description ? { description } : {}),
  };
}

function changeOf(a: ServiceDefinition, b: ServiceDefinition, dependents: string[]): ServiceChange {
  const fromTo = (x: unknown, y: unknown): FromTo | undefined =>
    sameValue(x, y) ? undefined : { from: text(x), to: text(y) };
  const out: ServiceChange = { id: b.id, name: b.name, dependents, otherFields: [] };
  const renamed = fromTo(a.name, b.name);
  if (renamed) out.renamed = renamed;
  const layer = fromTo(a.layer, b.layer);
  if (layer) out.layer = layer;
  const version = fromTo(a.version, b.version);
  if (version) out.version = { ...version, bump: versionBump(a.version, b.version) };
  const status = fromTo(a.status, b.status);
  if (status) out.status = status;
  const path = fromTo(a.path, b.path);
  if (path) out.path = path;
  const technologies = setChange(a.technologies, b.technologies);
  if (technologies) out.technologies = technologies;
  const dependencies = setChange(a.dependencies, b.dependencies);
  if (dependencies) out.dependencies = dependencies;
  const description = fromTo(descriptionOf(a), descriptionOf(b));
  if (description) out.description = description;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const record = (s: ServiceDefinition) => s as Record<string, unknown>;
  out.otherFields = [...keys]
    .filter((k) => !DESCRIBED.has(k) && !sameValue(record(a)[k], record(b)[k]))
    .sort();
  return out;
}

function setChange(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): { added: string[]; removed: string[] } | undefined {
  const before = new Set(a ?? []);
  const after = new Set(b ?? []);
  const added = [...after].filter((x) => !before.has(x));
  const removed = [...before].filter((x) => !after.has(x));
  // A reordering is no change.
  return added.length + removed.length === 0 ? undefined : { added, removed };
}

function descriptionOf(s: ServiceDefinition): string | undefined {
  const value = (s as Record<string, unknown>).description;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_DESCRIPTION ? `${flat.slice(0, MAX_DESCRIPTION - 1)}…` : flat;
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
