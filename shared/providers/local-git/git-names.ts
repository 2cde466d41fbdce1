import { AppError } from '../../errors/index.ts';

/**
 * A branch name git accepts (the rules of `git check-ref-format --branch`) and that cannot be read
 * as an option or a revision expression.
 */
export function assertBranchName(branch: string): void {
  const bad =
    branch.length === 0 ||
    branch.length > 250 ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.endsWith('/') ||
    branch.endsWith('.') ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.includes('@{') ||
    branch === '@' ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
    /[\u0000-\u0020\u007f~^:?*[\\]/.test(branch) ||
    branch.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'));
  if (bad)
    throw new AppError('validation_failed', `invalid branch name ${JSON.stringify(branch.slice(0, 100))}`);
}

/** A full object id (SHA-1 or SHA-256 repositories). */
export function assertObjectId(sha: string, what: string): void {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) {
    throw new AppError(
      'validation_failed',
      `${what} must be a full commit sha (got ${JSON.stringify(sha.slice(0, 80))})`,
    );
  }
}

/**
 * A file path relative to the repository root that stays inside it: no absolute paths, no `.` or
 * `..` segments, no `.git` segment (git itself refuses those), no backslashes or control characters.
 */
export function assertRepoPath(path: string): void {
  const segments = path.split('/');
  const bad =
    path.length === 0 ||
    path.length > 4096 ||
    path.startsWith('/') ||
    /^[A-Za-z]:/.test(path) ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
    /[\u0000-\u001f\u007f\\]/.test(path) ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git');
  if (bad) {
    throw new AppError(
      'validation_failed',
      `path ${JSON.stringify(path.slice(0, 200))} is not a relative path inside the repository`,
    );
  }
}
