// @ts-check
import { fill, h } from './dom.js';

/** @typedef {import('../api-types.ts').BulkResolveResult['take']} Take */
/** @typedef {NonNullable<import('../api-types.ts').BulkResolveResult['kind']>} ConflictKind */
/**
 * Settles a group; answers null, or why it could not.
 * @typedef {(choice: { take: Take, kind: ConflictKind | undefined, label: string }) => Promise<string | null>} OnBulk
 */

/** @type {Record<ConflictKind | 'all', [string, string]>} */
const NOUNS = {
  removal: ['removal', 'removals'],
  field: ['field conflict', 'field conflicts'],
  version: ['version conflict', 'version conflicts'],
  'add-add': ['service added on both sides', 'services added on both sides'],
  all: ['open conflict', 'open conflicts'],
};

/**
 * @param {ConflictKind | 'all'} kind
 * @param {number} n
 */
export const countOf = (kind, n) => {
  const [one, many] = NOUNS[kind] ?? [kind, kind];
  return `${n} ${n === 1 ? one : many}`;
};

/**
 * What taking one side means for a group, said before anything is settled.
 * @param {ConflictKind | 'all'} kind
 * @param {Take} take
 */
function consequence(kind, take) {
  const possessive = (/** @type {Take} */ side) => (side === 'design' ? 'design’s' : 'definitions’');
  const other = take === 'design' ? 'definitions' : 'design';
  if (kind === 'removal') {
    return take === 'design'
      ? 'It deletes every service the design removed, and keeps every one only the definitions removed.'
      : 'It keeps every service the design removed, and deletes every one the definitions removed.';
  }
  return `Each takes the ${possessive(take)} value over the ${possessive(other)}, as “Take ${take}” on each would.`;
}

/**
 * @param {ConflictKind | 'all'} kind
 * @param {number} n
 * @param {OnBulk} onBulk
 */
function group(kind, n, onBulk) {
  const label = countOf(kind, n);
  const actions = h('div', { class: 'actions' });
  const problem = h('p', { class: 'inline-error', role: 'alert', hidden: true });
  const box = h(
    'div',
    { class: 'bulk-group', 'data-kind': kind },
    h('span', { class: 'bulk-count' }, kind === 'all' ? `All ${label}` : label),
    actions,
    problem,
  );

  const choose = () => {
    fill(
      actions,
      /** @type {Take[]} */ (['design', 'definitions']).map((take) =>
        h(
          'button',
          {
            type: 'button',
            'data-take': take,
            'aria-label': `Take ${take} for all ${label}`,
            onclick: () => ask(take),
          },
          `Take ${take} for all`,
        ),
      ),
    );
  };

  /** @param {Take} take */
  const ask = (take) => {
    const confirm = h(
      'button',
      { type: 'button', class: 'primary' },
      `Confirm: settle ${label} with the ${take} side`,
    );
    const cancel = h('button', { type: 'button', onclick: choose }, 'Cancel');
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      problem.hidden = true;
      const error = await onBulk({ take, kind: kind === 'all' ? undefined : kind, label });
      if (error) {
        problem.textContent = `Could not settle them: ${error}`;
        problem.hidden = false;
        choose();
      }
    });
    fill(
      actions,
      h('p', { class: 'bulk-question' }, `Settle ${label} at once? ${consequence(kind, take)}`),
      confirm,
      cancel,
    );
    confirm.focus();
  };

  choose();
  return box;
}

/**
 * One row per kind of open conflict (and one for all of them when there are several kinds), each
 * with "Take design / definitions for all", asked to confirm before anything is settled.
 * @param {{ kinds: Array<[ConflictKind, number]>, total: number, onBulk: OnBulk }} input
 */
export function renderBulkResolve({ kinds, total, onBulk }) {
  if (total === 0) return null;
  const rows = kinds.map(([kind, n]) => group(kind, n, onBulk));
  if (kinds.length !== 1) rows.push(group('all', total, onBulk));
  return h(
    'section',
    { class: 'bulk', 'aria-label': 'Settle conflicts in bulk' },
    h('h5', {}, 'Settle in bulk'),
    rows,
  );
}
