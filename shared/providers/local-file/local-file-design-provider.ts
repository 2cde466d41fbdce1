import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { AppError } from '../../errors/index.ts';
import type { DesignProvider, DesignSnapshot } from '../../ports/index.ts';
import { decodeDesignText } from '../design-text.ts';
import { type FileLockOptions, withFileLock } from './with-file-lock.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

export interface LocalFileDesignOptions {
  /** Absolute path of the design JSON file. */
  path: string;
  lock?: FileLockOptions;
}

/** The revision of a local design file: sha256 of its bytes, so any edit changes it. */
export function contentRevision(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A design export kept as a JSON file on this machine. Writes are compare-and-swap on the content
 * hash, under `<file>.lock`, and replace the file atomically (temp file + rename).
 */
export function createLocalFileDesignProvider(options: LocalFileDesignOptions): DesignProvider {
  const { path } = options;
  if (!isAbsolute(path)) throw new AppError('validation_failed', 'a local design file path must be absolute');
  let calls = 0;

  const readBytes = async (): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (err) {
      throw fsError(err, path);
    }
  };

  return {
    kind: 'local-file',
    displayName: path,
    async read(): Promise<DesignSnapshot> {
      calls += 1;
      // One open file for both, so the time belongs to the content even if the file is replaced.
      const handle = await open(path, 'r').catch((err: unknown) => {
        throw fsError(err, path);
      });
      try {
        const [bytes, info] = await Promise.all([handle.readFile(), handle.stat()]).catch((err: unknown) => {
          throw fsError(err, path);
        });
        return {
          revision: contentRevision(bytes),
          content: decodeDesignText(bytes),
          modifiedTime: info.mtime.toISOString(),
        };
      } finally {
        await handle.close();
      }
    },
    async write(content: string, ifRevision: string): Promise<string> {
      calls += 1;
      return withFileLock(
        path,
        async () => {
          const current = contentRevision(await readBytes());
          if (current !== ifRevision) {
            throw new AppError(
              'design_changed',
              `design file ${path} changed since revision ${ifRevision.slice(0, 12)}`,
              {
                details: { currentRevision: current },
              },
            );
          }
          const bytes = Buffer.from(content, 'utf8');
          await writeFileAtomic(path, bytes);
          return contentRevision(bytes);
        },
        options.lock,
      );
    },
    callCount: () => calls,
  };
}

function fsError(err: unknown, path: string): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new AppError('not_found', `design file not found: ${path}`);
  if (code === 'EISDIR')
    return new AppError('validation_failed', `design path is a directory, not a file: ${path}`);
  if (code === 'EACCES' || code === 'EPERM')
    return new AppError('forbidden', `design file not readable: ${path}`);
  return new AppError('upstream_failed', `design file ${path} could not be read (${code ?? 'error'})`, {
    cause: err,
  });
}
