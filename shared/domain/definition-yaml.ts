import { Document, isMap, parseDocument } from 'yaml';
import { deepEqual } from './deep-equal.ts';
import { FIELD_SPELLINGS, KNOWN_FIELDS, keyToField } from './field-names.ts';
import { measureJson } from './json-size.ts';
import { type FieldIssue, parseService } from './parse-service.ts';
import { isPlainObject, MAX_DEFINITION_BYTES, MAX_TEXT_BYTES } from './safe-input.ts';
import type { ServiceDefinition } from './service-schema.ts';
import { hasDuplicateKey } from './yaml-keys.ts';

export const DEFINITIONS_DIR = 'architecture/definitions/';
const DEFINITION_FILE = /^architecture\/definitions\/([^/]+)\.ya?ml$/;

const NEW_FILE_COMMENT =
  ' Service definition kept in sync with the design by the Integration Bridge.\n' +
  ' Edit freely: comments and key order are kept when the bridge updates this file.';

// Keys are checked by hasDuplicateKey: yaml's own check is quadratic in a map's size.
const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false } as const;
// Aliases are what billion-laughs documents are made of; a definition needs few or none.
// What they expand to is measured (measureJson) before anything copies them.
const TO_JS_OPTIONS = { maxAliasCount: 20 } as const;
const STRINGIFY_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;

export function definitionPath(id: string): string {
  return `${DEFINITIONS_DIR}${id}.yaml`;
}

/** The id a definition file's name gives, or undefined when the path is not a definition file. */
export function definitionFileId(path: string): string | undefined {
  return DEFINITION_FILE.exec(path)?.[1];
}

export type ParsedDefinition = { ok: true; service: ServiceDefinition } | { ok: false; issues: FieldIssue[] };

/** One service from a definition file; a file without `id` takes it from its name, and they must agree. */
export function parseDefinitionFile(path: string, content: string): ParsedDefinition {
  const stem = definitionFileId(path);
  if (stem === undefined)
    return failure(`${path} is not a definition file (architecture/definitions/<id>.yaml)`);
  const value = parseYamlValue(content, MAX_DEFINITION_BYTES);
  if (!value.ok) return failure(value.reason);
  const result = parseService(value.value, { idFallback: stem });
  if (!result.ok) return result;
  if (result.service.id !== stem) {
    return {
      ok: false,
      issues: [{ field: 'id', message: `"${result.service.id}" does not match the file name ${stem}.yaml` }],
    };
  }
  return result;
}

/**
 * Parses YAML (or JSON, which is YAML) text into a plain value, refusing oversized or ill-formed
 * text, and values larger than `maxBytes` once their aliases are written out: the parser shares an
 * anchor's value between its aliases, so this is measured before anything copies it.
 */
export function parseYamlValue(
  content: string,
  maxBytes: number,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  // Four times the value's bound leaves room for comments and layout; more is not worth parsing.
  const maxText = Math.min(MAX_TEXT_BYTES, 4 * maxBytes);
  if (content.length > maxText) return { ok: false, reason: `larger than ${maxText} bytes` };
  if (content.trim() === '') return { ok: false, reason: 'the file is empty' };
  const doc = parseDocument(content, PARSE_OPTIONS);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    return {
      ok: false,
      reason: `not valid YAML${line ? ` (line ${line})` : ''}: ${error.message.split('\n')[0]}`,
    };
  }
  if (hasDuplicateKey(doc)) return { ok: false, reason: 'not valid YAML: Map keys must be unique' };
  let value: unknown;
  try {
    value = doc.toJS(TO_JS_OPTIONS);
  } catch (err) {
    return {
      ok: false,
      reason: `not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : 'unreadable'}`,
    };
  }
  const size = measureJson(value, maxBytes);
  if (!size.ok && size.problem === 'too-large') {
    // Text shorter than what it holds can only be aliases at work.
    const why = content.length < maxBytes ? ' (YAML aliases repeat what their anchor holds)' : ' as JSON';
    return { ok: false, reason: `expands to more than ${maxBytes} bytes${why}` };
  }
  if (!size.ok && size.problem === 'cyclic')
    return { ok: false, reason: 'not valid here: a YAML alias refers to the node that holds it' };
  // Too deep for the walk: the structure checks that follow say where.
  return { ok: true, value };
}

/**
 * The text of `service`'s definition file. Given the file's current text, the change is made in
 * place through yaml's Document API: unchanged fields keep their nodes (comments, quoting, key
 * order and spelling); changed ones are replaced, removed ones deleted, new ones appended. A new file
 * lists the fields in the canonical order (id, name, layer, version, ...) and then the extra fields.
 */
export function renderDefinitionFile(service: ServiceDefinition, existing?: string): string {
  const doc = existing === undefined ? undefined : parseDocument(existing, PARSE_OPTIONS);
  if (!doc || doc.errors.length > 0 || !isMap(doc.contents) || hasDuplicateKey(doc))
    return renderNewFile(service);
  const current = doc.toJS(TO_JS_OPTIONS) as Record<string, unknown>;
  const parsed = parseService(current, { idFallback: service.id });
  const old: Record<string, unknown> = parsed.ok ? parsed.service : current;
  const record = service as Record<string, unknown>;
  const fieldOf = keyToField(Object.keys(current));
  const written = new Set<string>();
  let dirty = false;
  for (const key of Object.keys(current)) {
    const field = fieldOf.get(key) ?? key;
    const value = record[field];
    written.add(field);
    if (value === undefined) {
      // The file name carries the id, so an id key is never removed.
      if (field !== 'id') {
        doc.delete(key);
        dirty = true;
      }
    } else if (!deepEqual(old[field], value)) {
      updateIn(doc, [key], current[key], value);
      dirty = true;
    }
  }
  // A file that omits the id keeps omitting it: its name says it.
  written.add('id');
  for (const [key, value] of orderedEntries(record)) {
    if (written.has(key)) continue;
    doc.set(key, value);
    dirty = true;
  }
  // Re-serializing an unchanged document would still normalize its spacing.
  if (!dirty) return existing as string;
  return doc.toString(STRINGIFY_OPTIONS);
}

function renderNewFile(service: ServiceDefinition): string {
  const doc = new Document(Object.fromEntries(orderedEntries(service as Record<string, unknown>)));
  doc.commentBefore = NEW_FILE_COMMENT;
  return doc.toString(STRINGIFY_OPTIONS);
}

/** Known fields in canonical order, then the extra fields in their own order. */
function orderedEntries(record: Record<string, unknown>): Array<[string, unknown]> {
  const known = KNOWN_FIELDS.filter((f) => record[f] !== undefined).map((f): [string, unknown] => [
    f,
    record[f],
  ]);
  const extras = Object.entries(record).filter(([k, v]) => v !== undefined && !(k in FIELD_SPELLINGS));
  return [...known, ...extras];
}

/** Replaces only what differs, descending into maps so comments on untouched nested keys stay. */
function updateIn(doc: Document, path: string[], before: unknown, after: unknown): void {
  if (isPlainObject(before) && isPlainObject(after) && isMap(doc.getIn(path, true))) {
    for (const key of Object.keys(before)) {
      if (!(key in after)) doc.deleteIn([...path, key]);
    }
    for (const [key, value] of Object.entries(after)) {
      if (!deepEqual(before[key], value)) updateIn(doc, [...path, key], before[key], value);
    }
    return;
  }
  doc.setIn(path, after);
}

function failure(message: string): ParsedDefinition {
  return { ok: false, issues: [{ field: '', message }] };
}
