/**
 * Loop prevention: every commit the bridge writes carries a git trailer `Bridge-Sync: <operation id>`
 * in its message, so the push GitHub reports back for it can be recognised and dropped.
 */
export const BRIDGE_COMMIT_TRAILER = 'Bridge-Sync';

const TRAILER_LINE = new RegExp(`^${BRIDGE_COMMIT_TRAILER}:[ \\t]*\\S`, 'i');

/**
 * True when the message's last paragraph (where git keeps trailers, see git-interpret-trailers)
 * has a `Bridge-Sync:` line with a value.
 */
export function hasBridgeTrailer(message: string): boolean {
  const paragraphs = message
    .replace(/\r\n/g, '\n')
    .trimEnd()
    .split(/\n[ \t]*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? '';
  return last.split('\n').some((line) => TRAILER_LINE.test(line.trim()));
}

interface CommitLike {
  message?: unknown;
}

/**
 * A push whose commits were all written by the bridge. A push that lists no commits (e.g. a branch
 * created at an existing commit) is judged by its head commit; one with neither is not ours.
 */
export function isOwnCommitPush(payload: { commits?: unknown; head_commit?: unknown }): boolean {
  const commits: CommitLike[] = Array.isArray(payload.commits) ? (payload.commits as CommitLike[]) : [];
  const considered =
    commits.length > 0
      ? commits
      : payload.head_commit && typeof payload.head_commit === 'object'
        ? [payload.head_commit as CommitLike]
        : [];
  if (considered.length === 0) return false;
  return considered.every((c) => typeof c?.message === 'string' && hasBridgeTrailer(c.message));
}
