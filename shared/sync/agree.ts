import { deepEqual, type ServiceDefinition } from '../domain/index.ts';

/**
 * The base snapshot to store after a sync: what the two sides hold in common afterwards. Where they
 * still differ (a pull request not merged yet, an open conflict, a side this run did not write) the
 * old base is kept, so the next merge sees the same difference again instead of mistaking it for a
 * fresh edit on the other side.
 */
export function agreedBase(
  oldBase: readonly ServiceDefinition[],
  design: readonly ServiceDefinition[],
  definitions: readonly ServiceDefinition[],
): ServiceDefinition[] {
  const base = new Map(oldBase.map((s) => [s.id, s]));
  const defs = new Map(definitions.map((s) => [s.id, s]));
  const designIds = new Set(design.map((s) => s.id));
  const out: ServiceDefinition[] = [];
  for (const d of design) {
    const other = defs.get(d.id);
    const before = base.get(d.id);
    if (other && deepEqual(d, other)) out.push(d);
    else if (other && before) out.push(mixFields(before, d, other));
    else if (before) out.push(before);
  }
  // Services only in the definitions keep their base entry (if any): the sides disagree on them.
  for (const s of definitions) if (!designIds.has(s.id) && base.has(s.id)) out.push(base.get(s.id)!);
  // Services only in the base, now gone from both sides, are agreed removals.
  return out;
}

function mixFields(before: ServiceDefinition, a: ServiceDefinition, b: ServiceDefinition): ServiceDefinition {
  const keys = new Set([...Object.keys(before), ...Object.keys(a), ...Object.keys(b)]);
  const out: Record<string, unknown> = {};
  const beforeRecord = before as Record<string, unknown>;
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  for (const key of keys) {
    const value = deepEqual(aRecord[key], bRecord[key]) ? aRecord[key] : beforeRecord[key];
    if (value !== undefined) out[key] = value;
  }
  return out as ServiceDefinition;
}
