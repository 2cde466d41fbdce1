/** Nesting the walk follows before giving up (the structure checks refuse far shallower input). */
const WALK_DEPTH = 64;

export type JsonSize =
  | { ok: true; bytes: number }
  /** `bytes` is what was counted when the walk stopped (past `limit` for `too-large`). */
  | { ok: false; problem: 'too-large' | 'cyclic' | 'too-deep'; bytes: number };

/**
 * The UTF-8 size of `JSON.stringify(value)`, found without writing the text. An object reached
 * from several places (what a YAML alias gives: the parser hands out its anchor's object again,
 * not a copy) counts at every place, as the text would repeat it, but is walked once: the walk
 * costs the distinct nodes plus at most `limit` bytes of strings, and stops as soon as the count
 * passes `limit`. So an anchor bomb is refused without building the structure it describes.
 */
export function measureJson(value: unknown, limit: number): JsonSize {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let total = 0;
  let problem: 'too-large' | 'cyclic' | 'too-deep' | undefined;

  const over = () => {
    if (total > limit) problem = 'too-large';
    return problem !== undefined;
  };
  /** Adds the size of `v` where JSON writes a value; false once the walk must stop. */
  const visit = (given: unknown, depth: number): boolean => {
    const v = hasToJson(given) ? given.toJSON() : given;
    if (typeof v === 'string') total += stringBytes(v, limit - total);
    else if (typeof v === 'number') total += Number.isFinite(v) ? String(v).length : 4;
    else if (typeof v === 'boolean') total += v ? 4 : 5;
    else if (v === null || typeof v !== 'object')
      total += 4; // null; undefined in a list is null too
    else {
      const known = sizes.get(v);
      if (known !== undefined) total += known;
      else if (open.has(v)) problem = 'cyclic';
      else if (depth >= WALK_DEPTH) problem = 'too-deep';
      else {
        const start = total;
        open.add(v);
        if (!(Array.isArray(v) ? visitList(v, depth) : visitObject(v as Record<string, unknown>, depth)))
          return false;
        open.delete(v);
        sizes.set(v, total - start);
      }
    }
    return !over();
  };
  const visitList = (list: readonly unknown[], depth: number): boolean => {
    total += 2 + Math.max(0, list.length - 1);
    for (const item of list) if (!visit(skipped(item) ? null : item, depth + 1)) return false;
    return true;
  };
  const visitObject = (object: Record<string, unknown>, depth: number): boolean => {
    total += 2;
    let first = true;
    for (const key of Object.keys(object)) {
      const item = object[key];
      if (skipped(item)) continue;
      total += (first ? 0 : 1) + stringBytes(key, limit - total) + 1;
      first = false;
      if (!visit(item, depth + 1)) return false;
    }
    return true;
  };

  visit(value, 0);
  return problem === undefined ? { ok: true, bytes: total } : { ok: false, problem, bytes: total };
}

function hasToJson(value: unknown): value is { toJSON: () => unknown } {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

/** What JSON.stringify leaves out of an object (and writes as null in a list). */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * Bytes of `text` as a JSON string literal (quotes and escapes included). A string too long to
 * fit in `room` (each UTF-16 unit is at least one byte) counts as its length without the scan.
 */
function stringBytes(text: string, room: number): number {
  if (text.length + 2 > room) return text.length + 2;
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x20) bytes += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff)
      bytes += 6; // a lone surrogate is written as \uXXXX
    else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
