/** Checks and normalizes a code path inside the repository (a service's `path`). */
export type RepoPathResult = { ok: true; path: string } | { ok: false; reason: string };

export const MAX_REPO_PATH_LENGTH = 500;

const EXAMPLE = 'write it relative to the repository root, e.g. services/auth';

/**
 * Paths come from untrusted files and end up in git tree entries, so anything that could leave the
 * repository root or reach into `.git` is refused rather than repaired. The one repair: the spec
 * writes paths as `/services/auth/`, so a leading `/services/` is read as repo-relative.
 */
export function normalizeRepoPath(input: string): RepoPathResult {
  if (input.length === 0) return { ok: false, reason: `is empty; ${EXAMPLE}` };
  if (input.length > MAX_REPO_PATH_LENGTH) {
    return { ok: false, reason: `is longer than ${MAX_REPO_PATH_LENGTH} characters` };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
  if (/[\u0000-\u001f\u007f]/.test(input)) return { ok: false, reason: 'contains a control character' };
  if (input.includes('\\')) return { ok: false, reason: `contains a backslash; use / between folders` };
  if (/%[0-9a-f]{2}/i.test(input)) return { ok: false, reason: 'contains a URL-encoded character' };
  if (/^[a-z]:/i.test(input)) return { ok: false, reason: `starts with a drive letter; ${EXAMPLE}` };
  if (input.includes('://')) return { ok: false, reason: `is a URL; ${EXAMPLE}` };

  let path = input.trim();
  if (path.startsWith('/')) {
    if (!/^\/services\/[^/]/.test(path)) return { ok: false, reason: `is absolute; ${EXAMPLE}` };
    path = path.slice(1);
  }
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return { ok: false, reason: `names the repository root; ${EXAMPLE}` };
  for (const segment of segments) {
    // NFKC folds look-alikes such as fullwidth dots (U+FF0E) into '.', so check both forms.
    const folded = segment.normalize('NFKC');
    if (segment === '..' || folded === '..' || folded.includes('/') || folded.includes('\\')) {
      return { ok: false, reason: 'leaves the repository (.. segment)' };
    }
    if (segment.toLowerCase() === '.git' || folded.toLowerCase() === '.git') {
      return { ok: false, reason: 'points into .git' };
    }
  }
  return { ok: true, path: segments.join('/') };
}
