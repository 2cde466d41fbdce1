import type { FileSelection, SelectedFiles } from '../ports/index.ts';

export interface ListedFile {
  path: string;
  size: number;
}

/**
 * Which listed files a selection reads, one rule for every RepoProvider: wanted files in order of
 * depth, then path (the README and manifests at the root come before a service's), each at most
 * `maxFileBytes`, until `maxFiles` files or `maxTotalBytes` bytes; every wanted file left out is
 * reported with the limit that left it out.
 */
export function chooseFiles<T extends ListedFile>(
  listed: readonly T[],
  selection: FileSelection,
): { read: T[]; skipped: SelectedFiles['skipped'] } {
  const depth = (p: string) => p.split('/').length;
  const wanted = listed
    .filter((f) => selection.wants(f.path))
    .sort((a, b) => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const read: T[] = [];
  const skipped: SelectedFiles['skipped'] = [];
  let bytes = 0;
  for (const file of wanted) {
    if (file.size > selection.maxFileBytes)
      skipped.push({ path: file.path, reason: `larger than ${selection.maxFileBytes} bytes` });
    else if (read.length >= selection.maxFiles)
      skipped.push({ path: file.path, reason: `over the limit of ${selection.maxFiles} files` });
    else if (bytes + file.size > selection.maxTotalBytes)
      skipped.push({ path: file.path, reason: `over the limit of ${selection.maxTotalBytes} bytes in all` });
    else {
      read.push(file);
      bytes += file.size;
    }
  }
  return { read, skipped };
}
