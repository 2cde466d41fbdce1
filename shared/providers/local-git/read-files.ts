import { AppError } from '../../errors/index.ts';
import type { FileSelection, RepoFile, SelectedFiles } from '../../ports/index.ts';
import { decodeRepoText, NOT_TEXT } from '../repo-text.ts';
import { chooseFiles } from '../select-files.ts';
import type { GitRunner } from './git-runner.ts';
import { parseCatFileBatch, parseLsTree } from './parse-git-output.ts';

/**
 * The files a selection wants at commit `sha`: `ls-tree -r -l` lists paths with sizes (the limits
 * are decided before anything is read), one `cat-file --batch` reads the chosen blobs. Symbolic
 * links and submodules are left out: their "content" is a target, not a file.
 */
export async function readLocalFiles(
  git: GitRunner,
  sha: string,
  selection: FileSelection,
  where: string,
): Promise<SelectedFiles> {
  const tree = await git.run(['ls-tree', '-r', '-l', '-z', '--full-tree', sha]);
  const blobs = parseLsTree(tree.stdout)
    .filter((e) => e.type === 'blob' && e.mode !== '120000')
    .map((e) => ({ ...e, size: e.size ?? 0 }));
  const { read, skipped } = chooseFiles(blobs, selection);
  const oids = [...new Set(read.map((e) => e.oid))];
  const objects =
    oids.length === 0
      ? new Map<string, Buffer>()
      : parseCatFileBatch((await git.run(['cat-file', '--batch'], { input: `${oids.join('\n')}\n` })).stdout);
  const files: RepoFile[] = [];
  for (const entry of read) {
    const blob = objects.get(entry.oid);
    if (blob === undefined)
      throw new AppError('upstream_failed', `object for ${entry.path} missing in ${where}`);
    const text = decodeRepoText(blob);
    if (text === undefined) skipped.push({ path: entry.path, reason: NOT_TEXT });
    else files.push({ path: entry.path, content: text });
  }
  return { headSha: sha, files, skipped, listingTruncated: false };
}
