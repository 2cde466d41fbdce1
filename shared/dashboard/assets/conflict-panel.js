// @ts-check
import { api, enc, failure } from './api.js';
import { countOf, renderBulkResolve } from './bulk-resolve-view.js';
import { renderConflicts } from './conflicts-view.js';
import { byId } from './dom.js';

/** @typedef {import('../api-types.ts').BulkResolveRequest} BulkResolveRequest */
/** @typedef {import('../api-types.ts').BulkResolveResult} BulkResolveResult */
/** @typedef {import('../api-types.ts').Conflict} Conflict */
/** @typedef {import('../api-types.ts').ConflictPage} ConflictPage */
/** @typedef {import('../api-types.ts').ConflictSuggestion} ConflictSuggestion */
/** @typedef {import('./bulk-resolve-view.js').ConflictKind} ConflictKind */
/** @typedef {Awaited<ReturnType<typeof fetchConflicts>>} ConflictsData */
/**
 * @typedef {object} ConflictHooks
 * @property {(err: unknown) => void} onError
 * @property {(err: { message: string }) => void} onUnauthorized
 * @property {(all: Conflict[], walk: { complete: boolean }) => void} onAllOpen
 * @property {(operationId: string | undefined) => Promise<void>} onSettled
 */

/** Cards drawn per "Show more"; rows of settled conflicts per page. */
const OPEN_BATCH = 50;
const SETTLED_PAGE = 20;
/** The graph colours services by every open conflict: read in pages of this size, up to the cap. */
const WALK_PAGE = 100;
const WALK_LIMIT = 5_000;
/** @type {ConflictKind[]} */
const KINDS = ['removal', 'field', 'version', 'add-add'];

const base = (/** @type {string} */ linkId) => `/api/v1/links/${enc(linkId)}/conflicts`;
const withToken = (/** @type {string | null} */ token) => (token ? `&pageToken=${enc(token)}` : '');
/**
 * @param {string} url
 * @returns {Promise<ConflictPage>}
 */
const readPage = (url) => api(url);

/**
 * The first batch of open and settled conflicts, the totals, and the open count per kind.
 * @param {string} linkId
 */
export async function fetchConflicts(linkId) {
  const url = base(linkId);
  const [open, settled] = await Promise.all([
    readPage(`${url}?state=open&pageSize=${OPEN_BATCH}`),
    readPage(`${url}?state=settled&pageSize=${SETTLED_PAGE}`),
  ]);
  const kinds =
    open.total > 0
      ? await Promise.all(
          KINDS.map(
            /** @returns {Promise<[ConflictKind, number]>} */
            async (kind) => [kind, (await readPage(`${url}?state=open&kind=${kind}&pageSize=1`)).total],
          ),
        )
      : [];
  return {
    open: { items: open.items ?? [], next: open.nextPageToken ?? null, total: open.total ?? 0 },
    settled: { items: settled.items ?? [], next: settled.nextPageToken ?? null, total: settled.total ?? 0 },
    kinds: kinds.filter(([, n]) => n > 0),
  };
}

/**
 * The conflicts section of one link: cards a batch at a time, settled rows a page at a time, the
 * bulk buttons, and a walk through every open page so the graph can be coloured by all of them
 * (`hooks.onAllOpen`). `hooks.onSettled` reloads the link after a bulk resolution.
 * @param {HTMLElement} container
 * @param {{
 *   linkId: string,
 *   data: ConflictsData,
 *   names: Map<string, string>,
 *   onResolve: import('./suggestion-view.js').OnResolve,
 *   hooks: ConflictHooks,
 *   isCurrent: () => boolean,
 * }} input
 */
export function showConflicts(container, { linkId, data, names, onResolve, hooks, isCurrent }) {
  const open = { ...data.open, items: [...data.open.items] };
  const settled = { ...data.settled };
  let shown = 0;
  /** @type {Promise<void> | null} */
  let loading = null;

  // One request at a time: "Show more" and the graph's walk share the page token.
  const loadNextOpen = (/** @type {number} */ pageSize) => {
    loading ??= readPage(`${base(linkId)}?state=open&pageSize=${pageSize}${withToken(open.next)}`)
      .then((page) => {
        open.items.push(...(page.items ?? []));
        open.next = page.nextPageToken ?? null;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };

  const bulk = renderBulkResolve({
    kinds: data.kinds,
    total: open.total,
    onBulk: async ({ take, kind, label }) => {
      try {
        /** @type {BulkResolveResult} */
        const result = await api(`${base(linkId)}/resolve`, {
          method: 'POST',
          body: /** @satisfies {BulkResolveRequest} */ (kind ? { take, kind } : { take }),
        });
        const status = byId('conflict-status');
        const what = kind ? countOf(kind, result.settled) : countOf('all', result.settled);
        status.textContent =
          `Settled ${what} with the ${take} side` +
          (result.operationId ? `; sync ${result.operationId} queued to write them to both sides.` : '.') +
          (result.failed > 0
            ? ` ${result.failed} could not be settled: ${result.errors[0]?.message ?? ''}`
            : '') +
          (result.remaining > 0 ? ` ${result.remaining} still open.` : '');
        await hooks.onSettled(result.operationId);
        status.focus();
        return null;
      } catch (caught) {
        const err = failure(caught);
        if (err.status === 401) hooks.onUnauthorized(err);
        return `${err.message} (${label})`;
      }
    },
  });

  const view = renderConflicts(container, {
    open,
    settled,
    names,
    bulk,
    onResolve,
    // Only reads: the suggestion is applied, if at all, through onResolve (the resolve route).
    onSuggest: async (conflict) => {
      try {
        /** @type {ConflictSuggestion} */
        const suggestion = await api(`${base(linkId)}/${enc(conflict.id)}/suggestion`);
        return suggestion;
      } catch (caught) {
        const err = failure(caught);
        if (err.status === 401) hooks.onUnauthorized(err);
        return { error: err.message };
      }
    },
    onMoreOpen: async () => {
      try {
        while (open.items.length < shown + OPEN_BATCH && open.next) await loadNextOpen(OPEN_BATCH);
      } catch (err) {
        hooks.onError(err);
      }
      const batch = open.items.slice(shown, shown + OPEN_BATCH);
      shown += batch.length;
      view.appendOpen(batch, { total: open.total, batch: OPEN_BATCH });
    },
    onMoreSettled: async () => {
      try {
        const page = await readPage(
          `${base(linkId)}?state=settled&pageSize=${SETTLED_PAGE}${withToken(settled.next)}`,
        );
        settled.next = page.nextPageToken ?? null;
        view.appendSettled(page.items ?? [], { total: settled.total, more: Boolean(settled.next) });
      } catch (err) {
        hooks.onError(err);
      }
    },
  });
  const first = open.items.slice(0, OPEN_BATCH);
  shown = first.length;
  view.appendOpen(first, { total: open.total, batch: OPEN_BATCH });
  view.appendSettled(settled.items, { total: settled.total, more: Boolean(settled.next) });

  // In the background: the rest of the open conflicts, for the graph.
  if (open.next) {
    (async () => {
      while (open.next && open.items.length < WALK_LIMIT && isCurrent()) await loadNextOpen(WALK_PAGE);
      if (isCurrent()) hooks.onAllOpen(open.items, { complete: !open.next });
    })().catch((err) => hooks.onError(err));
  }
  return { openLoaded: () => open.items };
}
