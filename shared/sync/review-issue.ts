import { createHash } from 'node:crypto';
import type { MergeConflict } from '../domain/index.ts';
import { isAppError } from '../errors/index.ts';
import type { RepoProvider } from '../ports/index.ts';
import type { Link } from '../records/index.ts';

export type ReviewIssue = NonNullable<Link['reviewIssue']>;

const LABELS = ['integration', 'architecture-review'];
const SEARCH_LABEL = 'architecture-review';
/** GitHub refuses issue bodies over 65,536 characters; the checklist stops well before. */
const MAX_BODY = 60_000;

export function reviewMarker(linkId: string): string {
  return `<!-- bridge-review: ${linkId} -->`;
}

/** Removals waiting for a person's decision: what the review issue lists. */
export function awaitingReview(conflicts: readonly MergeConflict[]): MergeConflict[] {
  return conflicts.filter((c) => c.kind === 'removal' && c.needsReview);
}

/** The review issue's title and body: one checklist line per removal awaiting review. */
export function renderReviewIssue(
  link: Pick<Link, 'id' | 'design' | 'branch'>,
  awaiting: readonly MergeConflict[],
): { title: string; body: string } {
  const n = awaiting.length;
  const head = [
    reviewMarker(link.id),
    `The bridge found ${n} service${n === 1 ? '' : 's'} removed on one side of link \`${link.id}\` (${link.design} ⇄ \`${link.branch}\`) and still present on the other.`,
    'Nothing was deleted and nothing was restored: each side stays as it is until someone decides.',
    '',
    'Decide in the bridge, one by one or all at once: the dashboard, `bridge conflicts <link>` and `bridge resolve`, or `POST /api/v1/links/{id}/conflicts/{conflictId}/resolve` with `take: design | definitions` (the side whose view wins). This list follows the removals as they come and go; the issue is closed when none remain.',
    '',
  ];
  const lines: string[] = [];
  let size = head.join('\n').length;
  for (const [i, c] of [...awaiting].sort((a, b) => (a.serviceId < b.serviceId ? -1 : 1)).entries()) {
    const line = `- [ ] \`${c.serviceId}\`: removed from ${c.design === null ? 'the design, still in the definitions' : 'the definitions, still in the design'}`;
    if (size + line.length + 200 > MAX_BODY) {
      lines.push(
        `- …and ${n - i} more: \`GET /api/v1/links/${link.id}/conflicts?state=open\` lists them all`,
      );
      break;
    }
    lines.push(line);
    size += line.length + 1;
  }
  return {
    title: `Architecture bridge: ${n} service removal${n === 1 ? '' : 's'} awaiting review`,
    body: [...head, ...lines].join('\n'),
  };
}

/**
 * Keeps ONE open review issue per link that lists every removal awaiting review: opened with the
 * first, edited as removals come and go (not repeated per removal), closed with a comment when none
 * remain. Returns the link's review issue afterwards (undefined once closed, or when none was needed).
 */
export async function syncReviewIssue(
  repo: RepoProvider,
  link: Pick<Link, 'id' | 'design' | 'branch' | 'reviewIssue'>,
  awaiting: readonly MergeConflict[],
  now: string,
): Promise<ReviewIssue | undefined> {
  const current = link.reviewIssue;
  if (awaiting.length === 0) {
    if (!current) return undefined;
    await repo.commentOnIssue(
      current.number,
      'Every removal listed here has been decided (or the sides agree again): nothing is left to review, so the bridge closes this issue.',
    );
    await repo.updateIssue(current.number, { state: 'closed' });
    return undefined;
  }
  const { title, body } = renderReviewIssue(link, awaiting);
  const bodyHash = createHash('sha256').update(title).update('\0').update(body).digest('hex').slice(0, 24);
  if (current?.bodyHash === bodyHash) return current;
  // A crash after opening the issue and before recording it: find it by its marker, do not open another.
  const existing =
    current ?? (await repo.findOpenIssue({ label: SEARCH_LABEL, marker: reviewMarker(link.id) }));
  if (existing) {
    try {
      const updated = await repo.updateIssue(existing.number, { title, body, state: 'open' });
      return { number: updated.number, url: updated.url, bodyHash, openedAt: current?.openedAt ?? now };
    } catch (err) {
      // Deleted by someone in the meantime: open a new one.
      if (!isAppError(err) || err.code !== 'not_found') throw err;
    }
  }
  const opened = await repo.openIssue({ title, body, labels: LABELS });
  return { number: opened.number, url: opened.url, bodyHash, openedAt: now };
}
