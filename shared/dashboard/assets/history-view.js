// @ts-check
import { formatDuration, h, safeLink, time } from './dom.js';

/** @typedef {import('../api-types.ts').Operation} Operation */
/** @typedef {NonNullable<Operation['changes']>['design']} ServiceChanges */

/** @type {Record<Operation['status'], string>} */
const STATUS_BADGE = { queued: 'pending', running: 'running', succeeded: 'synced', failed: 'error' };

/** @param {ServiceChanges | undefined} side */
function changeSummary(side) {
  if (!side) return null;
  const parts = [];
  if (side.added?.length) parts.push(`+${side.added.length} added (${side.added.join(', ')})`);
  if (side.updated?.length) parts.push(`~${side.updated.length} updated (${side.updated.join(', ')})`);
  if (side.removed?.length) parts.push(`−${side.removed.length} removed (${side.removed.join(', ')})`);
  return parts.length ? parts.join('; ') : 'no changes';
}

/**
 * A settings change (`bridge link set`, PATCH): `policy.writes: pull-request → direct; branch: …`.
 * @param {Operation['settings']} settings
 */
function settingsSummary(settings) {
  const entries = Object.entries(settings ?? {});
  if (entries.length === 0) return null;
  const show = (/** @type {unknown} */ v) => (typeof v === 'string' ? v : JSON.stringify(v ?? null));
  return entries.map(([name, c]) => `${name}: ${show(c.from)} → ${show(c.to)}`).join('; ');
}

/**
 * The run's plain-language summary (text nodes only: whoever wrote it, it is never markup), and who
 * wrote it: a model, or the bridge from the list of changes (with why no model did).
 * @param {Operation['summary']} summary
 */
function summaryText(summary) {
  if (!summary) return null;
  const by =
    summary.source === 'model'
      ? `by ${summary.provider ?? 'a model'}${summary.reason === 'cached' ? ', cached' : ''}`
      : `from the list of changes${summary.reason === 'no-provider' ? '' : `: ${summary.reason}`}`;
  return `${summary.text} (${by})`;
}

/** @param {Operation} op */
function entry(op) {
  /** @param {string} label @param {import('./dom.js').Child} value */
  const fact = (label, value) =>
    value === undefined || value === null || value === '' ? null : [h('dt', {}, label), h('dd', {}, value)];
  const calls = Object.entries(op.apiCalls ?? {});
  return h(
    'li',
    { class: `op op-${op.status}`, 'data-operation-id': op.id },
    h(
      'div',
      { class: 'op-head' },
      h('span', { class: `badge badge-${STATUS_BADGE[op.status] ?? 'pending'}` }, op.status),
      ' ',
      h('strong', {}, op.outcome ?? (op.status === 'queued' ? 'waiting' : op.status)),
      ' · ',
      time(op.queuedAt),
    ),
    h(
      'dl',
      { class: 'facts compact' },
      fact('Trigger', op.trigger),
      fact('By', op.actor),
      fact('Changed', settingsSummary(op.settings)),
      fact('Direction', op.trigger === 'settings' ? null : `${op.direction}${op.dryRun ? ' (dry run)' : ''}`),
      fact('Summary', summaryText(op.summary)),
      fact('Duration', op.durationMs !== undefined ? formatDuration(op.durationMs) : null),
      fact('Definitions', changeSummary(op.changes?.definitions)),
      fact('Design', changeSummary(op.changes?.design)),
      fact('Conflicts', op.conflicts ? String(op.conflicts) : null),
      fact('API calls', calls.length ? calls.map(([k, v]) => `${k}: ${v}`).join(', ') : null),
      fact('Commit', op.commitSha ? h('code', {}, op.commitSha.slice(0, 12)) : null),
      fact('Pull request', op.pullRequest ? safeLink(op.pullRequest) : null),
      fact('Design revision', op.designRevision),
      fact('Operation', h('code', {}, op.id)),
    ),
    op.error
      ? h('p', { class: 'inline-error' }, h('strong', {}, op.error.code), `: ${op.error.message}`)
      : null,
  );
}

/**
 * Sync runs, newest first, as a timeline.
 * @param {HTMLElement} list
 * @param {Operation[]} operations
 * @param {{ append?: boolean }} [options]
 */
export function renderHistory(list, operations, { append = false } = {}) {
  if (!append) list.replaceChildren();
  if (!append && operations.length === 0) {
    list.append(h('li', { class: 'muted' }, 'No sync has run yet.'));
    return;
  }
  list.append(...operations.map(entry));
}
