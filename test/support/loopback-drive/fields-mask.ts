import type { DiscoveryDocument, DiscoverySchema } from './discovery.ts';

/** A parsed `fields` selector: each key selects a property; a nested mask selects inside it. */
export type FieldsMask = Map<string, FieldsMask | null>;

/**
 * Parses Google's partial-response syntax: `a,b/c,d(e,f(g))`, `*` for everything.
 * See https://developers.google.com/workspace/drive/api/guides/fields-parameter
 */
export function parseFieldsMask(text: string): FieldsMask {
  let pos = 0;
  const fail = (why: string): never => {
    throw new Error(`Invalid field selection ${text}: ${why} at ${pos}`);
  };
  const name = () => {
    const m = /^[A-Za-z0-9_*]+/.exec(text.slice(pos));
    if (!m) fail('expected a field name');
    pos += (m as RegExpExecArray)[0].length;
    return (m as RegExpExecArray)[0];
  };
  const merge = (into: FieldsMask, key: string, sub: FieldsMask | null) => {
    const had = into.get(key);
    if (had === null || sub === null) into.set(key, null);
    else if (had) for (const [k, v] of sub) merge(had, k, v);
    else into.set(key, sub);
  };
  const list = (): FieldsMask => {
    const mask: FieldsMask = new Map();
    for (;;) {
      const path = [name()];
      while (text[pos] === '/') {
        pos++;
        path.push(name());
      }
      let leaf: FieldsMask | null = null;
      if (text[pos] === '(') {
        pos++;
        leaf = list();
        if (text[pos] !== ')') fail('expected )');
        pos++;
      }
      const [first, ...rest] = path;
      const sub = rest.reduceRight<FieldsMask | null>((inner, key) => new Map([[key, inner]]), leaf);
      merge(mask, first as string, sub);
      if (text[pos] !== ',') return mask;
      pos++;
    }
  };
  const mask = list();
  if (pos !== text.length) fail('unexpected character');
  return mask;
}

/** Names in the mask that the schema does not declare (Drive answers 400 for those). */
export function maskProblems(
  doc: DiscoveryDocument,
  schemaOrRef: DiscoverySchema,
  mask: FieldsMask,
  path = '',
): string[] {
  let schema = schemaOrRef.$ref ? doc.schemas[schemaOrRef.$ref] : schemaOrRef;
  while (schema?.type === 'array' && schema.items)
    schema = schema.items.$ref ? doc.schemas[schema.items.$ref] : schema.items;
  if (!schema) return [`${path}: unknown schema`];
  const out: string[] = [];
  for (const [key, sub] of mask) {
    if (key === '*') continue;
    const child = schema.properties?.[key] ?? schema.additionalProperties;
    if (!child) out.push(`${path}${key}`);
    else if (sub) out.push(...maskProblems(doc, child, sub, `${path}${key}/`));
  }
  return out;
}

/** Keeps only the selected properties (arrays are masked element by element). */
export function applyFieldsMask(value: unknown, mask: FieldsMask | null): unknown {
  if (mask === null || mask.has('*')) return value;
  if (Array.isArray(value)) return value.map((v) => applyFieldsMask(v, mask));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = applyFieldsMask(v, sub);
  }
  return out;
}
