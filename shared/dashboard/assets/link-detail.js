// @ts-check
import { api, enc, failure } from './api.js';
import { renderArchitecture } from './architecture-view.js';
import { createBootstrapPanel, fetchBootstrap } from './bootstrap-panel.js';
import { fetchConflicts, showConflicts } from './conflict-panel.js';
import { byId } from './dom.js';
import { renderHistory } from './history-view.js';
import { renderLinkSummary } from './link-summary.js';

/** @typedef {import('../api-types.ts').Conflict} Conflict */
/** @typedef {import('../api-types.ts').ConflictResolved} ConflictResolved */
/** @typedef {import('../api-types.ts').Drift} Drift */
/** @typedef {import('../api-types.ts').Link} Link */
/** @typedef {import('../api-types.ts').Operation} Operation */
/** @typedef {import('../api-types.ts').Page<Operation>} OperationPage */
/** @typedef {import('../api-types.ts').Queued} Queued */
/** @typedef {import('../api-types.ts').ResolveRequest} ResolveRequest */
/** @typedef {import('../api-types.ts').SyncRequest} SyncRequest */
/** @typedef {import('../api-types.ts').SyncedServices} SyncedServices */
/**
 * @typedef {object} LinkDetailHooks
 * @property {(err: unknown) => void} onError
 * @property {(err: { message: string }) => void} onUnauthorized
 * @property {() => void} onChanged
 */

const POLL_MS = 1000;
const POLL_LIMIT = 180;

/**
 * One link's page: summary, graph, conflicts, history and the Sync now form. `hooks.onError`
 * shows API errors; `hooks.onChanged` refreshes the links table after a resolve or a finished sync.
 * @param {LinkDetailHooks} hooks
 */
export function createLinkDetail(hooks) {
  /** @type {Link | null} */
  let current = null;
  /** @type {Map<string, string>} */
  let names = new Map();
  /** @type {string | null} */
  let historyNext = null;
  let loadSeq = 0;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let pollTimer = null;

  const bootstrapPanel = createBootstrapPanel({
    onError: (err) => hooks.onError(err),
    isCurrent: (linkId) => current?.id === linkId,
  });

  const stopPolling = () => {
    if (pollTimer) clearTimeout(pollTimer);
    pollTimer = null;
  };

  /** @param {string} id */
  async function fetchAll(id) {
    const base = `/api/v1/links/${enc(id)}`;
    const [link, snapshot, drift, conflicts, operations, bootstrap] = await Promise.all([
      /** @type {Promise<Link>} */ (api(base)),
      /** @type {Promise<SyncedServices>} */ (api(`/api/v1/services/github?link=${enc(id)}`)),
      /** @type {Promise<Drift>} */ (api(`${base}/drift`)),
      fetchConflicts(id),
      /** @type {Promise<OperationPage>} */ (api(`${base}/operations?pageSize=20`)),
      fetchBootstrap(id),
    ]);
    return { link, services: snapshot?.services ?? [], drift, conflicts, operations, bootstrap };
  }

  /** @type {import('./suggestion-view.js').OnResolve} */
  async function resolve(conflict, take, value) {
    const linkId = conflict.linkId;
    try {
      /** @type {ConflictResolved} */
      const result = await api(`/api/v1/links/${enc(linkId)}/conflicts/${enc(conflict.id)}/resolve`, {
        method: 'POST',
        body: /** @satisfies {ResolveRequest} */ (take === 'value' ? { take, value } : { take }),
      });
      const status = byId('conflict-status');
      const what = take === 'value' ? 'suggested merged' : take;
      status.textContent =
        `Settled ${names.get(conflict.serviceId) ?? conflict.serviceId}${conflict.field ? ` · ${conflict.field}` : ''} with the ` +
        `${what} value; sync ${result.operationId} queued to write it to both sides.`;
      await load(linkId, { keepStatus: true });
      status.focus();
      watch(result.operationId);
      hooks.onChanged();
      return null;
    } catch (caught) {
      const err = failure(caught);
      if (err.status === 401) hooks.onUnauthorized(err);
      return err.message;
    }
  }

  /** @param {string} operationId */
  function watch(operationId) {
    stopPolling();
    const linkId = current?.id;
    if (!linkId) return;
    const status = byId('sync-status');
    let polls = 0;
    const tick = async () => {
      pollTimer = null;
      if (current?.id !== linkId) return;
      /** @type {Operation} */
      let op;
      try {
        op = await api(`/api/v1/operations/${enc(operationId)}`);
      } catch (caught) {
        status.textContent = `Could not follow sync ${operationId}: ${failure(caught).message}`;
        return;
      }
      if (current?.id !== linkId) return;
      const step = op.progress?.at(-1)?.step;
      status.textContent = `Sync ${operationId}: ${op.status}${step ? ` (${step})` : ''}${op.outcome ? ` — ${op.outcome}` : ''}${op.error ? ` — ${op.error.message}` : ''}`;
      if (op.status === 'succeeded' || op.status === 'failed') {
        await load(linkId, { keepStatus: true }).catch((err) => hooks.onError(err));
        hooks.onChanged();
        return;
      }
      polls += 1;
      if (polls < POLL_LIMIT) pollTimer = setTimeout(tick, POLL_MS);
    };
    pollTimer = setTimeout(tick, POLL_MS);
  }

  /**
   * @param {string} id
   * @param {{ keepStatus?: boolean }} [options]
   */
  async function load(id, { keepStatus = false } = {}) {
    const seq = ++loadSeq;
    const data = await fetchAll(id);
    if (seq !== loadSeq) return;
    if (current?.id !== id) stopPolling();
    current = data.link;
    names = new Map(data.services.map((svc) => [svc.id, svc.name ?? svc.id]));
    byId('link-detail').hidden = false;
    byId('link-title').textContent = `Link ${data.link.id}`;
    if (!keepStatus) {
      byId('sync-status').textContent = '';
      byId('conflict-status').textContent = '';
    }
    renderLinkSummary(byId('link-summary'), data.link);
    bootstrapPanel.show(id, { job: data.bootstrap, hasDefinitions: data.services.length > 0 });
    const drawGraph = (/** @type {Conflict[]} */ openConflicts) =>
      renderArchitecture(byId('architecture'), {
        link: data.link,
        services: data.services,
        drift: data.drift,
        openConflicts,
      });
    drawGraph(data.conflicts.open.items);
    showConflicts(byId('conflicts'), {
      linkId: id,
      data: data.conflicts,
      names,
      onResolve: resolve,
      isCurrent: () => seq === loadSeq,
      hooks: {
        onError: hooks.onError,
        onUnauthorized: hooks.onUnauthorized,
        // Every open conflict read (a large link's arrive after the first batch): colour the graph by all.
        onAllOpen: (all) => drawGraph(all),
        onSettled: async (operationId) => {
          await load(id, { keepStatus: true });
          if (operationId) watch(operationId);
          hooks.onChanged();
        },
      },
    });
    renderHistory(byId('history'), data.operations.items ?? []);
    historyNext = data.operations.nextPageToken ?? null;
    byId('history-more').hidden = !historyNext;
  }

  byId('sync-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!current) return;
    const button = byId('sync-now', HTMLButtonElement);
    // The select's options are the API's directions (index.html).
    const direction = /** @type {SyncRequest['direction']} */ (
      byId('sync-direction', HTMLSelectElement).value
    );
    const dryRun = byId('sync-dry-run', HTMLInputElement).checked;
    button.disabled = true;
    try {
      /** @type {Queued} */
      const result = await api(`/api/v1/links/${enc(current.id)}/sync`, {
        method: 'POST',
        body: /** @satisfies {SyncRequest} */ ({ direction, dryRun }),
      });
      byId('sync-status').textContent =
        `Sync ${result.operationId} ${result.status}${dryRun ? ' (dry run)' : ''}.`;
      await load(current.id, { keepStatus: true });
      watch(result.operationId);
    } catch (err) {
      hooks.onError(err);
    } finally {
      button.disabled = false;
    }
  });

  byId('history-more').addEventListener('click', async () => {
    if (!current || !historyNext) return;
    try {
      /** @type {OperationPage} */
      const page = await api(
        `/api/v1/links/${enc(current.id)}/operations?pageSize=20&pageToken=${enc(historyNext)}`,
      );
      renderHistory(byId('history'), page.items ?? [], { append: true });
      historyNext = page.nextPageToken ?? null;
      byId('history-more').hidden = !historyNext;
    } catch (err) {
      hooks.onError(err);
    }
  });

  return {
    load,
    currentId: () => current?.id ?? null,
    reset() {
      stopPolling();
      bootstrapPanel.reset();
      current = null;
      byId('link-detail').hidden = true;
    },
  };
}
