// @ts-check
import { h, safeLink, time } from './dom.js';

/** @typedef {import('../api-types.ts').Link} Link */

/** @type {Record<Link['status'], string>} */
export const STATUS_LABELS = {
  synced: 'synced',
  out_of_sync: 'out of sync',
  conflict: 'conflict',
  error: 'error',
  paused: 'paused',
};

/** @param {Link['status']} status */
export function statusBadge(status) {
  return h(
    'span',
    { class: `badge badge-${status}`, 'data-status': status },
    STATUS_LABELS[status] ?? status,
  );
}

/** @param {Link} link */
function driftTotal(link) {
  return Object.values(link.drift ?? {}).reduce((sum, n) => sum + (Number(n) || 0), 0);
}

/**
 * One row per link; the id is a real link (`#link/<id>`) so keyboard and history both work.
 * @param {HTMLElement} tbody
 * @param {Link[]} links
 * @param {string | null} selectedId
 */
export function renderLinkRows(tbody, links, selectedId) {
  tbody.replaceChildren(
    ...links.map((link) =>
      h(
        'tr',
        { 'data-link-id': link.id, class: link.id === selectedId ? 'selected' : null },
        h(
          'th',
          { scope: 'row' },
          h(
            'a',
            {
              href: `#link/${encodeURIComponent(link.id)}`,
              'aria-current': link.id === selectedId ? 'true' : null,
            },
            link.id,
          ),
        ),
        h('td', {}, statusBadge(link.status)),
        h('td', {}, safeLink(link.repo), h('div', { class: 'muted' }, `branch ${link.branch}`)),
        h('td', { class: 'wrap' }, safeLink(link.design)),
        h(
          'td',
          {},
          link.lastSync
            ? [time(link.lastSync.at), h('div', { class: 'muted' }, link.lastSync.result)]
            : h('span', { class: 'muted' }, 'never'),
        ),
        h(
          'td',
          { class: 'num' },
          link.openConflicts ? h('span', { class: 'badge badge-conflict' }, String(link.openConflicts)) : '0',
        ),
        h('td', { class: 'num' }, String(driftTotal(link))),
      ),
    ),
  );
  if (links.length === 0) {
    tbody.append(
      h(
        'tr',
        {},
        h(
          'td',
          { colspan: 7, class: 'muted' },
          'No links yet. Create one with `bridge link add` or POST /api/v1/links.',
        ),
      ),
    );
  }
}
