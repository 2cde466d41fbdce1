// @ts-check
import { api, enc, failure } from './api.js';
import { byId, fill, h, time } from './dom.js';

/** @typedef {import('../api-types.ts').DeadLetter} DeadLetter */
/** @typedef {import('../api-types.ts').Delivery} Delivery */
/**
 * @template T
 * @typedef {import('../api-types.ts').Page<T>} Page
 */

/** @param {DeadLetter} dl */
function messageSummary(dl) {
  const attrs = dl.message?.attributes ?? {};
  const keys = ['linkId', 'operationId', 'trigger', 'event', 'repository', 'deliveryId'].filter(
    (k) => attrs[k],
  );
  return keys.length ? keys.map((k) => `${k}=${attrs[k]}`).join(', ') : (dl.message?.id ?? '');
}

/**
 * Dead letters (admin only) with a Replay button each; a tenant key gets a clear 403 message.
 * @param {(message: string) => void} announce
 * @returns {Promise<void>}
 */
export async function loadDeadLetters(announce) {
  const body = byId('dead-letters-body');
  const status = byId('dead-letters-status');
  fill(body, h('p', { class: 'muted' }, 'Loading…'));
  /** @type {Page<DeadLetter>} */
  let page;
  try {
    page = await api('/api/v1/dead-letters?pageSize=100');
  } catch (caught) {
    const err = failure(caught);
    const message =
      err.status === 403
        ? 'Dead letters span every tenant, so they need the admin token. This token is a tenant API key: sign in with the admin token (the local server writes it to .bridge/admin-token).'
        : `Could not load dead letters: ${err.message}`;
    fill(
      body,
      h('p', { class: err.status === 403 ? 'notice-info' : 'inline-error', role: 'alert' }, message),
    );
    return;
  }
  const items = page.items ?? [];
  if (items.length === 0) {
    fill(body, h('p', { class: 'muted' }, 'No dead letters: every message was delivered.'));
    return;
  }
  /**
   * @param {DeadLetter} dl
   * @param {HTMLButtonElement} button
   */
  const replay = async (dl, button) => {
    button.disabled = true;
    try {
      await api(`/api/v1/dead-letters/${enc(dl.id)}/replay`, { method: 'POST' });
      status.textContent = `Replayed ${dl.id}: it is back on ${dl.topic} with a fresh attempt count.`;
      await loadDeadLetters(announce);
      status.focus();
    } catch (caught) {
      button.disabled = false;
      announce(`Could not replay ${dl.id}: ${failure(caught).message}`);
    }
  };
  fill(
    body,
    h(
      'table',
      { class: 'data' },
      h('caption', {}, `${items.length}${page.nextPageToken ? '+' : ''} dead letters`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Id', 'Topic', 'Message', 'Attempts', 'Last error', 'Dead since', ''].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((dl) => {
          const button = h('button', { type: 'button', 'aria-label': `Replay ${dl.id}` }, 'Replay');
          button.addEventListener('click', () => replay(dl, button));
          return h(
            'tr',
            { 'data-dead-letter-id': dl.id },
            h('td', {}, h('code', {}, dl.id)),
            h('td', {}, dl.topic),
            h('td', { class: 'wrap' }, messageSummary(dl)),
            h('td', { class: 'num' }, String(dl.attempts)),
            h('td', { class: 'wrap' }, dl.lastError),
            h('td', {}, time(dl.deadAt)),
            h('td', {}, button),
          );
        }),
      ),
    ),
  );
}

/**
 * A webhook delivery by id (admin): event, times received, outcome.
 * @param {string} id
 */
export async function lookUpDelivery(id) {
  const out = byId('delivery-result');
  try {
    /** @type {Delivery} */
    const delivery = await api(`/api/v1/deliveries/${enc(id)}`);
    fill(
      out,
      h(
        'dl',
        { class: 'facts' },
        Object.entries(delivery).map(([k, v]) => [
          h('dt', {}, k),
          h(
            'dd',
            {},
            typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)
              ? time(v)
              : typeof v === 'object'
                ? JSON.stringify(v)
                : String(v),
          ),
        ]),
      ),
    );
  } catch (caught) {
    const err = failure(caught);
    fill(
      out,
      h(
        'p',
        { class: 'inline-error', role: 'alert' },
        err.status === 403 ? 'Deliveries need the admin token.' : err.message,
      ),
    );
  }
}
