import { randomUUID } from 'node:crypto';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `target` with `data` atomically: a reader sees the old or the new file, never half of
 * one. The temporary file is in the same directory because rename(2) is atomic only within one
 * file system. Keeps the target's permission bits.
 */
export async function writeFileAtomic(target: string, data: string | Buffer): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomUUID()}.tmp`);
  const mode = await stat(target).then(
    (s) => s.mode & 0o777,
    () => undefined,
  );
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await chmod(temp, mode);
    await rename(temp, target);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}
