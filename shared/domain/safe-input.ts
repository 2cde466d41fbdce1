/** Structural checks for untrusted parsed input (JSON/YAML from Drive, the repo or the API). */

/** Keys that could reach an object's prototype when the data is later spread or assigned. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const MAX_DEPTH = 32;

/**
 * Largest design or raw-file text parsed: five times MAX_SNAPSHOT_BYTES, room for indentation and
 * comments around the most a link can hold. Parsing costs memory in proportion (yaml takes about
 * 60 bytes per byte of a quoted scalar), so text that could never fit is not parsed.
 */
export const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/**
 * Largest expanded size of one definition file: its value as compact JSON, every YAML alias written
 * out (see measureJson). A service with every known field at its schema maximum is about 65 KB; the
 * rest is room for metadata.
 */
export const MAX_DEFINITION_BYTES = 128 * 1024;

/**
 * Largest expanded size of one side of a link: the design, all its definitions together, one raw
 * file, or either side after a merge. A link's base snapshot keeps its services and its design
 * export (about twice this) in one state-store document, whose limit is 1,000,000 bytes
 * (MAX_DOCUMENT_BYTES in shared/ports): this leaves room for both. About 1,100 services of a
 * typical size (350 bytes each) fit; large metadata lowers that.
 */
export const MAX_SNAPSHOT_BYTES = 400_000;

/** Returns why the value is unsafe (a forbidden key or too deep nesting), or undefined when it is fine. */
export function findUnsafeStructure(value: unknown, maxDepth = MAX_DEPTH): string | undefined {
  // Iterative walk: hostile input may be nested far deeper than the call stack allows.
  const stack: Array<{ value: unknown; depth: number; at: string }> = [{ value, depth: 0, at: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= maxDepth) return `${item.at || 'the input'} is nested deeper than ${maxDepth} levels`;
    if (Array.isArray(item.value)) {
      item.value.forEach((v, i) => {
        stack.push({ value: v, depth: item.depth + 1, at: `${item.at}[${i}]` });
      });
      continue;
    }
    for (const key of Object.keys(item.value)) {
      const at = item.at ? `${item.at}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return `${at}: the key "${key}" is not allowed`;
      stack.push({ value: (item.value as Record<string, unknown>)[key], depth: item.depth + 1, at });
    }
  }
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
