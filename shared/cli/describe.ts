/** Text for people: what a sync did, a link at a glance, drift findings. `--json` bypasses this. */
import { plural } from './command.ts';

type Side = { added?: string[]; updated?: string[]; removed?: string[] };

export interface OperationView {
  id: string;
  linkId?: string;
  status: string;
  outcome?: string;
  dryRun?: boolean;
  durationMs?: number;
  changes?: { definitions?: Side; design?: Side };
  conflicts?: number;
  commitSha?: string;
  pullRequest?: string;
  summary?: { text: string; source: string; reason?: string; provider?: string };
  error?: { code?: string; message: string };
}

export interface ConflictView {
  id: string;
  state: string;
  serviceId: string;
  field: string | null;
  kind: string;
  resolution?: string;
  issueUrl?: string;
}

const list = (ids: string[] | undefined) => (ids ?? []).join(', ');

/** `added a, b; updated c` for one side, or undefined when nothing changed there. */
function sideText(side: Side | undefined, verbs: [string, string, string]): string | undefined {
  const parts = [
    side?.added?.length ? `${verbs[0]} ${list(side.added)}` : '',
    side?.updated?.length ? `${verbs[1]} ${list(side.updated)}` : '',
    side?.removed?.length ? `${verbs[2]} ${list(side.removed)}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

export const subjectOf = (c: Pick<ConflictView, 'serviceId' | 'field'>) =>
  `${c.serviceId} · ${c.field ?? 'whole service'}`;

/**
 * A finished sync: the result, the changes per side, the commit or pull request, and the conflicts
 * this run recorded (`recorded`: the link's conflicts whose operationId is this run's).
 */
export function describeOperation(op: OperationView, recorded: ConflictView[] = [], more = 0): string {
  const lines: string[] = [];
  if (op.status === 'failed') {
    lines.push(`failed${op.outcome ? ` (${op.outcome})` : ''}: ${op.error?.message ?? 'no reason recorded'}`);
  } else if (op.dryRun) {
    lines.push('dry run: nothing was written; a sync now would do this');
  } else {
    lines.push(`${op.status}${op.outcome ? ` (${op.outcome})` : ''}`);
  }
  const verbs: [string, string, string] = op.dryRun
    ? ['would add', 'would update', 'would remove']
    : ['added', 'updated', 'removed'];
  const definitions = sideText(op.changes?.definitions, verbs);
  const design = sideText(op.changes?.design, verbs);
  if (definitions || design) {
    lines.push(`  definitions: ${definitions ?? 'no changes'}`);
    lines.push(`  design: ${design ?? 'no changes'}`);
  }
  if (op.summary) {
    const by =
      op.summary.source === 'model'
        ? `by ${op.summary.provider ?? 'a model'}`
        : `from the changes${op.summary.reason && op.summary.reason !== 'no-provider' ? `, ${op.summary.reason}` : ''}`;
    // Terminal text from the server: no control sequences (a name could hold an escape).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    const text = op.summary.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
    lines.push(`  summary (${by}): ${text}`);
  }
  if (op.pullRequest) {
    lines.push(
      `  pull request: ${op.pullRequest}${op.commitSha ? ` (commit ${op.commitSha.slice(0, 12)})` : ''}`,
    );
  } else if (op.commitSha) {
    lines.push(`  commit: ${op.commitSha}`);
  }
  const open = recorded.filter((c) => c.state === 'open');
  const settled = recorded.filter((c) => c.state !== 'open');
  if (open.length > 0) {
    lines.push(`  ${plural(open.length + more, 'conflict')} opened, waiting for a decision:`);
    for (const c of open) {
      lines.push(`    ${c.id}  ${subjectOf(c)} (${c.kind})${c.issueUrl ? `  review: ${c.issueUrl}` : ''}`);
    }
    if (more > 0) lines.push(`    … and ${more} more (bridge conflicts ${op.linkId ?? '<link>'})`);
    lines.push(
      `  settle with: bridge resolve ${op.linkId ?? '<link>'} <conflict> --take design|definitions` +
        ` (or --all --take … for every one)`,
    );
  }
  if (settled.length > 0) {
    lines.push(`  ${plural(settled.length, 'conflict')} settled by the link's policy:`);
    for (const c of settled)
      lines.push(`    ${c.id}  ${subjectOf(c)} (${c.kind}): ${c.resolution ?? 'settled'}`);
  }
  if (op.dryRun && (op.conflicts ?? 0) > 0) lines.push(`  ${plural(op.conflicts ?? 0, 'conflict')} found`);
  return `${lines.join('\n')}\n`;
}

type LinkView = Record<string, unknown> & {
  id?: string;
  status?: string;
  repo?: string;
  branch?: string;
  design?: string;
  policy?: Record<string, unknown>;
  lastSync?: { operationId: string; at: string; result: string; error?: string };
  openConflicts?: number;
  drift?: Record<string, number>;
  pendingPullRequest?: { url: string };
  declinedProposal?: { url: string; at: string };
  webhook?: { state?: string; message?: string };
  driveChannel?: { state?: string; message?: string };
};

/** One link as a few labelled lines. */
export function describeLink(link: LinkView): string {
  const p = link.policy ?? {};
  const row = (label: string, value: string) => `  ${label.padEnd(13)}${value}`;
  const drift = Object.entries(link.drift ?? {}).filter(([, n]) => n > 0);
  const findings = drift.reduce((sum, [, n]) => sum + n, 0);
  const lines = [
    `${link.id ?? '?'}: ${link.status ?? 'unknown'}`,
    row('repository', `${link.repo ?? '?'} @ ${link.branch ?? '?'}`),
    row('design', link.design ?? '?'),
    row(
      'policy',
      `writes ${p.writes ?? '?'}, on conflict ${p.onConflict ?? '?'}, removals ${p.onRemoval ?? '?'}, ` +
        `versions ${p.versions ?? '?'}, max delete ${p.maxDeletePercent ?? '?'}%, mode ${p.mode ?? '?'}`,
    ),
    row(
      'last sync',
      link.lastSync
        ? `${link.lastSync.result} at ${link.lastSync.at} (${link.lastSync.operationId})`
        : 'never',
    ),
  ];
  if (link.lastSync?.error) lines.push(row('error', link.lastSync.error));
  lines.push(
    row(
      'conflicts',
      link.openConflicts ? `${link.openConflicts} open (bridge conflicts ${link.id})` : 'none open',
    ),
  );
  lines.push(
    row(
      'drift',
      findings > 0
        ? `${plural(findings, 'finding')}: ${drift.map(([k, n]) => `${k} ${n}`).join(', ')} (bridge drift ${link.id})`
        : 'none',
    ),
  );
  if (link.pendingPullRequest)
    lines.push(row('proposal', `${link.pendingPullRequest.url} (waiting for review)`));
  if (link.declinedProposal) {
    lines.push(
      row('declined', `${link.declinedProposal.url} closed without merging at ${link.declinedProposal.at}`),
    );
  }
  if (link.webhook) lines.push(row('webhook', `${link.webhook.state}: ${link.webhook.message}`));
  if (link.driveChannel)
    lines.push(row('channel', `${link.driveChannel.state}: ${link.driveChannel.message}`));
  return `${lines.join('\n')}\n`;
}

/** Each drift finding's message, with its kind. */
export function describeDrift(report: {
  findings?: Array<{ kind?: string; message?: string; serviceId?: string; path?: string }>;
  computedAt?: string | null;
}): string {
  const findings = report.findings ?? [];
  if (!report.computedAt && findings.length === 0) return 'no drift report yet (the link has not synced)\n';
  if (findings.length === 0) return `no drift findings (computed ${report.computedAt})\n`;
  const width = Math.max(...findings.map((f) => (f.kind ?? '').length));
  const lines = findings.map(
    (f) => `  ${(f.kind ?? '').padEnd(width)}  ${f.message ?? f.serviceId ?? f.path ?? ''}`,
  );
  return `${plural(findings.length, 'drift finding')} (computed ${report.computedAt ?? 'unknown'}):\n${lines.join('\n')}\n`;
}
