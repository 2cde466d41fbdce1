// @ts-check
import { fill, h, safeLink, time, valueView } from './dom.js';
import { suggestionControls } from './suggestion-view.js';

/** @typedef {import('../api-types.ts').Conflict} Conflict */
/** @typedef {import('./bulk-resolve-view.js').Take} Take */
/** @typedef {string | number | boolean | null} Scalar */
/**
 * The conflicts of one state read so far, the next page's token and how many there are in all.
 * @typedef {{ items: Conflict[], next: string | null, total: number }} ConflictList
 */
/** @typedef {import('./suggestion-view.js').OnResolve} OnResolve */
/** @typedef {import('./suggestion-view.js').OnSuggest} OnSuggest */

/**
 * @param {unknown} a
 * @param {unknown} b
 */
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
/**
 * @param {Conflict} c
 * @param {Map<string, string>} names
 */
const subject = (c, names) =>
  `${names.get(c.serviceId) ?? c.serviceId} · ${c.field ? `field “${c.field}”` : 'whole service'}`;

/** @type {(v: unknown) => v is Scalar} */
const scalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
/** @type {(v: unknown) => v is Scalar[]} */
const scalarList = (v) => Array.isArray(v) && v.every(scalar);

/**
 * A list of plain values as chips, marking what was added to or removed from the base list.
 * @param {Scalar[]} value
 * @param {unknown} base
 * @param {boolean} isBase
 */
function listView(value, base, isBase) {
  const compare = !isBase && scalarList(base);
  /**
   * @param {Scalar} item
   * @param {'added' | 'removed' | undefined} mark
   */
  const chip = (item, mark) =>
    h(
      'li',
      { class: mark ?? null },
      mark ? h('span', { class: 'visually-hidden' }, `${mark}: `) : null,
      mark === 'added' ? '+ ' : mark === 'removed' ? '− ' : '',
      String(item),
    );
  return h(
    'ul',
    { class: 'chips' },
    value.map((item) => chip(item, compare && !base.includes(item) ? 'added' : undefined)),
    compare ? base.filter((item) => !value.includes(item)).map((item) => chip(item, 'removed')) : null,
  );
}

/**
 * @param {string} title
 * @param {unknown} value
 * @param {unknown} base
 * @param {boolean} isBase
 */
function side(title, value, base, isBase) {
  const changed = !isBase && !same(value, base);
  return h(
    'div',
    { class: `side${changed ? ' changed' : ''}` },
    h('h6', {}, title, changed ? h('span', { class: 'tag' }, 'changed') : null),
    scalarList(value) && value.length > 0 ? listView(value, base, isBase) : valueView(value),
  );
}

/**
 * @param {Conflict} conflict
 * @param {Map<string, string>} names
 * @param {OnResolve} onResolve
 * @param {OnSuggest} onSuggest
 */
function openCard(conflict, names, onResolve, onSuggest) {
  const titleId = `conflict-${conflict.id}-title`;
  const problem = h('p', { class: 'inline-error', role: 'alert', hidden: true });
  const buttons = [
    ['design', 'Take design'],
    ['definitions', 'Take definitions'],
  ].map(([take, label]) =>
    h('button', { type: 'button', class: 'primary', 'data-take': take, 'aria-describedby': titleId }, label),
  );
  for (const button of buttons) {
    button.addEventListener('click', async () => {
      for (const b of buttons) b.disabled = true;
      problem.hidden = true;
      const error = await onResolve(conflict, /** @type {Take} */ (button.dataset.take));
      if (error) {
        problem.textContent = `Could not resolve: ${error}`;
        problem.hidden = false;
        for (const b of buttons) b.disabled = false;
        button.focus();
      }
    });
  }
  const suggestion = suggestionControls(conflict, {
    onSuggest,
    onResolve,
    describedBy: titleId,
    onBusy: (busy) => {
      for (const b of buttons) b.disabled = busy;
    },
  });
  return h(
    'article',
    {
      class: 'conflict',
      id: `conflict-${conflict.id}`,
      'aria-labelledby': titleId,
      'data-conflict-id': conflict.id,
    },
    h('h5', { id: titleId }, subject(conflict, names)),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'badge badge-conflict' }, conflict.kind),
      ' recorded ',
      time(conflict.createdAt),
      ` by ${conflict.operationId}`,
      conflict.issueUrl ? [' · ', safeLink(conflict.issueUrl, 'review issue')] : null,
    ),
    h(
      'div',
      { class: 'sides' },
      side('Base (last synced)', conflict.base, conflict.base, true),
      side('Design', conflict.design, conflict.base, false),
      side('Definitions', conflict.definitions, conflict.base, false),
    ),
    h('div', { class: 'actions' }, buttons, suggestion.button),
    suggestion.panel,
    problem,
  );
}

/**
 * @param {Conflict} c
 * @param {Map<string, string>} names
 */
function settledRow(c, names) {
  return h(
    'tr',
    { 'data-conflict-id': c.id },
    h('td', {}, subject(c, names)),
    h('td', {}, c.kind),
    h('td', {}, h('span', { class: 'badge badge-synced' }, c.resolution)),
    h(
      'td',
      { class: 'value-cell' },
      scalarList(c.value) && c.value.length > 0 ? listView(c.value, undefined, true) : valueView(c.value),
    ),
    h('td', {}, time(c.settledAt)),
    h('td', {}, c.applied === false ? 'pending next sync' : 'yes'),
  );
}

/**
 * @param {Conflict[]} settled
 * @param {Map<string, string>} names
 */
function settledTable(settled, names) {
  return h(
    'table',
    { class: 'data', id: 'settled-conflicts' },
    h('caption', { class: 'visually-hidden' }, 'Settled conflicts'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Service / field', 'Kind', 'Settled with', 'Value', 'Settled', 'Applied'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      settled.map((c) => settledRow(c, names)),
    ),
  );
}

/**
 * @param {number} n
 * @param {string} one
 * @param {string} [many]
 */
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * "Showing 50 of 600 …" and the button that shows the next batch (hidden when all are shown).
 * @param {string} id
 * @param {string} label
 * @param {() => Promise<void>} onMore
 */
function moreControls(id, label, onMore) {
  const note = h('p', { class: 'muted', id: `${id}-shown`, 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: `${id}-more`, hidden: true }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await onMore();
    } finally {
      button.disabled = false;
    }
  });
  return { note, button };
}

/**
 * Open conflicts side by side with the buttons that settle them, a batch at a time (newest first);
 * settled ones in a table below, also a page at a time. Returns functions that append what the
 * next batch brings, so showing more never redraws what is already on the page.
 * @param {HTMLElement} container
 * @param {{
 *   open: ConflictList,
 *   settled: ConflictList,
 *   names: Map<string, string>,
 *   bulk: HTMLElement | null,
 *   onResolve: OnResolve,
 *   onSuggest: OnSuggest,
 *   onMoreOpen: () => Promise<void>,
 *   onMoreSettled: () => Promise<void>,
 * }} input
 */
export function renderConflicts(
  container,
  { open, settled, names, bulk, onResolve, onSuggest, onMoreOpen, onMoreSettled },
) {
  const openList = h('div', { class: 'conflict-list' });
  const openMore = moreControls('open-conflicts', 'Show more', onMoreOpen);
  const settledMore = moreControls('settled-conflicts', 'Show more settled conflicts', onMoreSettled);
  const table = settledTable([], names);
  const tbody = table.querySelector('tbody');
  fill(
    container,
    h('h4', {}, `Open (${open.total})`),
    bulk,
    open.total > 0
      ? [openList, openMore.note, openMore.button]
      : h('p', { class: 'muted' }, 'No open conflicts.'),
    h('h4', {}, `Settled (${settled.total})`),
    settled.total > 0
      ? [table, settledMore.note, settledMore.button]
      : h('p', { class: 'muted' }, 'No settled conflicts.'),
  );
  let openShown = 0;
  let settledShown = 0;
  return {
    /**
     * Adds cards; `batch` is how many the next "Show more" brings.
     * @param {Conflict[]} conflicts
     * @param {{ total: number, batch: number }} counts
     */
    appendOpen(conflicts, { total, batch }) {
      openList.append(...conflicts.map((c) => openCard(c, names, onResolve, onSuggest)));
      openShown += conflicts.length;
      const left = Math.max(0, total - openShown);
      openMore.note.textContent = `Showing ${openShown} of ${plural(total, 'open conflict')}, newest first.`;
      openMore.button.hidden = left === 0;
      openMore.button.textContent = `Show ${Math.min(batch, left)} more open conflicts (${left} not shown)`;
    },
    /**
     * @param {Conflict[]} conflicts
     * @param {{ total: number, more: boolean }} counts
     */
    appendSettled(conflicts, { total, more }) {
      tbody?.append(...conflicts.map((c) => settledRow(c, names)));
      settledShown += conflicts.length;
      settledMore.note.textContent = `Showing ${settledShown} of ${plural(total, 'settled conflict')}, newest first.`;
      settledMore.button.hidden = !more;
    },
  };
}
