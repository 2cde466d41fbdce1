/** Structural checks for untrusted parsed input (JSON/YAML from Drive, the repo or the API). */

/** Keys that could reach an object's prototype when the data is later spread or assigned. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const MAX_DEPTH = 32;

/** Largest design or definition text accepted (a design export of thousands of services fits). */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

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
