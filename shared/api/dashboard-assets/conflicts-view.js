import { fill, h, safeLink, time, valueView } from './dom.js';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const subject = (c, names) =>
  `${names.get(c.serviceId) ?? c.serviceId} · ${c.field ? `field “${c.field}”` : 'whole service'}`;

const scalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const scalarList = (v) => Array.isArray(v) && v.every(scalar);

/** A list of plain values as chips, marking what was added to or removed from the base list. */
function listView(value, base, isBase) {
  const compare = !isBase && scalarList(base);
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

function side(title, value, base, isBase) {
  const changed = !isBase && !same(value, base);
  return h(
    'div',
    { class: `side${changed ? ' changed' : ''}` },
    h('h6', {}, title, changed ? h('span', { class: 'tag' }, 'changed') : null),
    scalarList(value) && value.length > 0 ? listView(value, base, isBase) : valueView(value),
  );
}

function openCard(conflict, names, onResolve) {
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
      const error = await onResolve(conflict, button.dataset.take);
      if (error) {
        problem.textContent = `Could not resolve: ${error}`;
        problem.hidden = false;
        for (const b of buttons) b.disabled = false;
        button.focus();
      }
    });
  }
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
    h('div', { class: 'actions' }, buttons),
    problem,
  );
}

function settledTable(settled, names) {
  if (settled.length === 0) return h('p', { class: 'muted' }, 'No settled conflicts.');
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
      settled.map((c) =>
        h(
          'tr',
          { 'data-conflict-id': c.id },
          h('td', {}, subject(c, names)),
          h('td', {}, c.kind),
          h('td', {}, h('span', { class: 'badge badge-synced' }, c.resolution)),
          h(
            'td',
            { class: 'value-cell' },
            scalarList(c.value) && c.value.length > 0
              ? listView(c.value, undefined, true)
              : valueView(c.value),
          ),
          h('td', {}, time(c.settledAt)),
          h('td', {}, c.applied === false ? 'pending next sync' : 'yes'),
        ),
      ),
    ),
  );
}

/** Open conflicts side by side with the buttons that settle them; settled ones in a table below. */
export function renderConflicts(container, { open, settled, services, onResolve }) {
  const names = new Map(services.map((svc) => [svc.id, svc.name ?? svc.id]));
  fill(
    container,
    h('h4', {}, `Open (${open.length})`),
    open.length
      ? h(
          'div',
          { class: 'conflict-list' },
          open.map((c) => openCard(c, names, onResolve)),
        )
      : h('p', { class: 'muted' }, 'No open conflicts.'),
    h('h4', {}, `Settled (${settled.length})`),
    settledTable(settled, names),
  );
}
