import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The path with every symlink resolved, for what exists of it: a path not created yet resolves its
 * nearest existing ancestor and keeps the rest as written (a sync may create the file later).
 */
export async function resolveRealPath(path: string): Promise<string> {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      const real = await realpath(head);
      return rest.length === 0 ? real : join(real, ...rest.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = dirname(head);
      if (parent === head) return path;
      rest.push(basename(head));
      head = parent;
    }
  }
}
