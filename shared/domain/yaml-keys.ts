import { type Document, isScalar, visit } from 'yaml';

/**
 * The first map in `doc` that repeats a key, as yaml's `uniqueKeys` would find it, in one pass:
 * yaml compares every pair of a map's keys, which took 38 s of the one thread for a 520 KB file of
 * 34,000 keys. Like yaml, scalar keys are equal when their values are (`a` and `"a"` are one key,
 * `1` and `"1"` two), and other keys only when they are the same node.
 */
export function hasDuplicateKey(doc: Document): boolean {
  let found = false;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          found = true;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}
