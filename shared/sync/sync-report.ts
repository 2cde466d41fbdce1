import type { AppContext } from '../context/index.ts';
import { escapeMarkdownText } from '../domain/index.ts';
import type { RepoProvider } from '../ports/index.ts';
import type { ChangeSummary, Link } from '../records/index.ts';
import type { SyncPlan } from './plan-sync.ts';

/** What a sync tells people: the operation's change lists, the commit/PR text, the raw-drop status. */
export function pick(plan: SyncPlan) {
  const side = (c: SyncPlan['changes']['design']) => ({
    added: c.added,
    updated: c.updated,
    removed: c.removed,
  });
  return { design: side(plan.changes.design), definitions: side(plan.changes.definitions) };
}

export function describe(plan: SyncPlan): string {
  const n = (c: SyncPlan['changes']['design']) => c.added.length + c.updated.length + c.removed.length;
  const parts = [
    `${n(plan.changes.definitions)} service(s) to definitions`,
    `${n(plan.changes.design)} to design`,
  ];
  if (plan.conflicts.length > 0) parts.push(`${plan.conflicts.length} conflict(s)`);
  if (plan.ingestion.accepted.length > 0)
    parts.push(`${plan.ingestion.accepted.length} raw file(s) ingested`);
  return parts.join(', ');
}

/**
 * The pull request's text: the summary paragraph (escaped: whoever wrote it, nothing in it is
 * markup, a link or a mention), then the exact list of changes, which never depends on a model.
 */
export function pullRequestBody(plan: SyncPlan, link: Link, summary?: ChangeSummary): string {
  const lines = [`Changes from the design (${link.design}) for \`${link.branch}\`.`, ''];
  if (summary) {
    const by =
      summary.source === 'model'
        ? `written by an AI model (${escapeMarkdownText(`${summary.provider ?? '?'} ${summary.model ?? ''}`.trim())}) from the list of changes below`
        : 'built from the list of changes below';
    lines.push(`**Summary** (${by}): ${escapeMarkdownText(summary.text)}`, '', '**Changes**', '');
  }
  const c = plan.changes.definitions;
  for (const id of c.added) lines.push(`- added \`${id}\``);
  for (const id of c.updated) lines.push(`- updated \`${id}\`: ${(c.fields[id] ?? []).join(', ')}`);
  for (const id of c.removed) lines.push(`- removed \`${id}\``);
  for (const conflict of plan.conflicts) {
    lines.push(
      `- conflict on \`${conflict.serviceId}\`${conflict.field ? `.${conflict.field}` : ''}: settled as ${conflict.resolution}`,
    );
  }
  return lines.join('\n');
}

/** Sets a commit status saying which raw drop-zone files were ingested or rejected (and why). */
export async function reportRawRejections(
  repo: RepoProvider,
  sha: string,
  plan: SyncPlan,
  ctx: AppContext,
): Promise<void> {
  const { rejected, accepted } = plan.ingestion;
  if (rejected.length === 0 && accepted.length === 0) return;
  const description =
    rejected.length > 0
      ? `${rejected.length} raw file(s) rejected: ${rejected.map((r) => `${r.path}: ${r.reason}`).join('; ')}`
      : `${accepted.length} raw file(s) ingested`;
  await repo
    .setCommitStatus(sha, {
      state: rejected.length > 0 ? 'failure' : 'success',
      context: 'bridge/raw-ingestion',
      description: description.slice(0, 140),
    })
    .catch((err: unknown) => ctx.logger.warn('commit status not set', { error: err }));
}
