import { deepEqual } from './deep-equal.ts';
import { DEFAULT_EXPORT_HEADER, type DesignExport } from './design-export.ts';
import {
  DESIGN_SPELLING,
  FIELD_SPELLINGS,
  KNOWN_FIELDS,
  type KnownField,
  keyToField,
} from './field-names.ts';
import { parseService } from './parse-service.ts';
import type { ServiceDefinition } from './service-schema.ts';
import { slugify } from './slugify.ts';

type Component = Record<string, unknown>;

/**
 * The design export for `services`, written onto `template` (the export last read from the design
 * side) so that nothing the bridge did not change moves: top-level fields, component order, key
 * order, key spellings (`service_id` vs `id`, `github_path` vs `path`) and raw values that parse to
 * the service's value (`/services/auth/` stays although the service holds `services/auth`).
 * Components of services no longer present are dropped; new services are appended.
 */
export function servicesToDesignExport(
  services: readonly ServiceDefinition[],
  template?: DesignExport,
): DesignExport {
  const previous = new Map<string, Component>();
  for (const component of template?.components ?? []) {
    const parsed = parseService(component);
    if (parsed.ok && !previous.has(parsed.service.id)) previous.set(parsed.service.id, component);
  }
  const preferred = preferredSpellings(template?.components ?? []);
  const byId = new Map(services.map((s) => [s.id, s]));
  const components: Component[] = [];
  for (const [id, component] of previous) {
    const service = byId.get(id);
    if (service) components.push(renderOnto(service, component, preferred));
  }
  for (const service of services) {
    if (!previous.has(service.id)) components.push(renderNew(service, preferred));
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template ?? DEFAULT_EXPORT_HEADER)) {
    out[key] = key === 'components' ? components : value;
  }
  if (!('components' in out)) out.components = components;
  return out as DesignExport;
}

/** JSON text for the design file, indented like `previousText` (2 spaces by default). */
export function renderDesignText(design: DesignExport, previousText?: string): string {
  const indent = previousText?.match(/^\{\r?\n([ \t]+)"/)?.[1] ?? 2;
  return `${JSON.stringify(design, null, indent)}\n`;
}

function renderOnto(service: ServiceDefinition, component: Component, preferred: Spellings): Component {
  const parsed = parseService(component);
  const old: Record<string, unknown> = parsed.ok ? parsed.service : {};
  const fieldOf = keyToField(Object.keys(component));
  const out: Component = {};
  const written = new Set<string>();
  for (const [key, raw] of Object.entries(component)) {
    const field = fieldOf.get(key) ?? key;
    const value = (service as Record<string, unknown>)[field];
    if (value === undefined) continue;
    out[key] = deepEqual(old[field], value) ? raw : value;
    written.add(field);
  }
  // A component without an id key gets its id from its name; it needs one written once they differ.
  if (!written.has('id') && slugify(service.name) === service.id) written.add('id');
  appendMissing(service, out, written, preferred);
  return out;
}

function renderNew(service: ServiceDefinition, preferred: Spellings): Component {
  const out: Component = {};
  appendMissing(service, out, new Set(), preferred);
  return out;
}

function appendMissing(
  service: ServiceDefinition,
  out: Component,
  written: Set<string>,
  preferred: Spellings,
) {
  const record = service as Record<string, unknown>;
  const extras = new Set(Object.keys(record).filter((k) => !(KNOWN_FIELDS as string[]).includes(k)));
  for (const field of KNOWN_FIELDS) {
    if (written.has(field) || record[field] === undefined) continue;
    const spelling = [preferred.get(field), ...FIELD_SPELLINGS[field]].find(
      (s): s is string => s !== undefined && !extras.has(s) && !(s in out),
    );
    if (spelling !== undefined) out[spelling] = record[field];
  }
  for (const key of extras) {
    if (!written.has(key) && record[key] !== undefined && !(key in out)) out[key] = record[key];
  }
}

type Spellings = Map<KnownField, string>;

/** For each field, the spelling most components of the template use (else the spec's snake_case). */
function preferredSpellings(components: readonly Component[]): Spellings {
  const counts = new Map<KnownField, Map<string, number>>();
  for (const component of components) {
    for (const [key, field] of keyToField(Object.keys(component))) {
      if (!(KNOWN_FIELDS as string[]).includes(field)) continue;
      const perField = counts.get(field as KnownField) ?? new Map<string, number>();
      perField.set(key, (perField.get(key) ?? 0) + 1);
      counts.set(field as KnownField, perField);
    }
  }
  const out: Spellings = new Map();
  for (const field of KNOWN_FIELDS) {
    const perField = counts.get(field);
    const best = perField ? [...perField].sort((a, b) => b[1] - a[1])[0]?.[0] : undefined;
    out.set(field, best ?? DESIGN_SPELLING[field]);
  }
  return out;
}
