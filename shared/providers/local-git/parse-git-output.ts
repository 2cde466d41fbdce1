export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
  /** With `ls-tree -l`: the blob's size in bytes (undefined for trees and submodules). */
  size?: number;
}

/**
 * Parses `git ls-tree -r -z [-l]`: `<mode> SP <type> SP <oid> [SP+ <size>] TAB <path> NUL`, paths
 * unquoted (`-l` pads the size with spaces; a tree's size is `-`).
 */
export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    if (record.length === 0) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    if (tab < 0 || !mode || !type || !oid)
      throw new Error(`unexpected ls-tree record: ${record.slice(0, 100)}`);
    const bytes = size && /^\d+$/.test(size) ? { size: Number(size) } : {};
    entries.push({ mode, type, oid, path: record.slice(tab + 1), ...bytes });
  }
  return entries;
}

/**
 * Parses `git cat-file --batch` output: for each object `<oid> SP <type> SP <size> LF <bytes> LF`,
 * or `<name> SP missing LF`. Sizes are in bytes, so the parse walks the buffer, not the text.
 */
export function parseCatFileBatch(output: Buffer): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  let at = 0;
  while (at < output.length) {
    const lineEnd = output.indexOf(0x0a, at);
    if (lineEnd < 0) throw new Error('truncated cat-file header');
    const header = output.subarray(at, lineEnd).toString('utf8').split(' ');
    at = lineEnd + 1;
    const [oid, type, size] = header;
    if (!oid || type === 'missing' || type === 'ambiguous' || size === undefined) continue;
    const length = Number(size);
    if (!Number.isSafeInteger(length) || at + length > output.length)
      throw new Error('truncated cat-file body');
    objects.set(oid, output.subarray(at, at + length));
    at += length + 1;
  }
  return objects;
}
