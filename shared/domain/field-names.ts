/**
 * Spellings of the known service fields. The canonical (camelCase) name comes first; the design
 * export uses the spec's snake_case. When an object carries several spellings of one field, the
 * first in this order is the field and the others stay as ordinary extra fields, so nothing is lost.
 *
 * `ai_studio_component` is the export's name for `layer`: in the spec's data model a service names
 * the visualizer component (a layer such as "Persistence") it is drawn in. An export that has both
 * `layer` and `ai_studio_component` keeps the latter as an extra field.
 */
export const FIELD_SPELLINGS = {
  id: ['id', 'service_id'],
  name: ['name'],
  layer: ['layer', 'ai_studio_component'],
  version: ['version'],
  status: ['status'],
  technologies: ['technologies'],
  path: ['path', 'github_path'],
  dependencies: ['dependencies'],
  documentationUrl: ['documentationUrl', 'documentation_url'],
  syncTimestamp: ['syncTimestamp', 'sync_timestamp'],
  metadata: ['metadata'],
} as const;

export type KnownField = keyof typeof FIELD_SPELLINGS;

/** Canonical order of a service's fields: new definition files and new components are written in it. */
export const KNOWN_FIELDS = Object.keys(FIELD_SPELLINGS) as KnownField[];

/** Spelling used for a field in a new design component (the spec's snake_case). */
export const DESIGN_SPELLING: Record<KnownField, string> = {
  id: 'service_id',
  name: 'name',
  layer: 'ai_studio_component',
  version: 'version',
  status: 'status',
  technologies: 'technologies',
  path: 'github_path',
  dependencies: 'dependencies',
  documentationUrl: 'documentation_url',
  syncTimestamp: 'sync_timestamp',
  metadata: 'metadata',
};

/**
 * Which key of `keys` carries which canonical field: the first spelling present wins; keys that are
 * not a winning spelling map to themselves (extra fields).
 */
export function keyToField(keys: readonly string[]): Map<string, string> {
  const present = new Set(keys);
  const out = new Map<string, string>();
  for (const field of KNOWN_FIELDS) {
    const winner = FIELD_SPELLINGS[field].find((s) => present.has(s));
    if (winner !== undefined) out.set(winner, field);
  }
  for (const key of keys) if (!out.has(key)) out.set(key, key);
  return out;
}

/** The object with canonical field names, keys in their original order. */
export function canonicalKeys(input: Record<string, unknown>): Record<string, unknown> {
  const map = keyToField(Object.keys(input));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) out[map.get(key) ?? key] = value;
  return out;
}
