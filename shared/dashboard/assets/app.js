// @ts-check

import { loadAiUsage } from './ai-usage-view.js';
import { api, clearToken, enc, failure, getToken, setToken } from './api.js';
import { loadDeadLetters, lookUpDelivery } from './dead-letters-view.js';
import { byId } from './dom.js';
import { loadHealth } from './health-view.js';
import { createLinkDetail } from './link-detail.js';
import { renderLinkRows } from './links-view.js';

/** @typedef {import('../api-types.ts').Link} Link */
/** @typedef {import('../api-types.ts').Page<Link>} LinkPage */

/** @type {Link[]} */
let links = [];
/** @type {string | null} */
let linksNext = null;

/** @param {unknown} errOrMessage a failure, or a message to show */
function showError(errOrMessage) {
  const err = typeof errOrMessage === 'string' ? { message: errOrMessage } : failure(errOrMessage);
  if (err.status === 401) return unauthorized(err);
  byId('error-text').textContent = err.message;
  byId('error-banner').hidden = false;
}

function clearError() {
  byId('error-banner').hidden = true;
  byId('error-text').textContent = '';
}

const detail = createLinkDetail({
  onError: showError,
  onUnauthorized: (err) => unauthorized(err),
  onChanged: () => refreshLinks().catch(showError),
});

/** @param {string} [message] */
function showSignIn(message) {
  detail.reset();
  byId('app').hidden = true;
  byId('nav').hidden = true;
  byId('session').hidden = true;
  byId('sign-in').hidden = false;
  const problem = byId('sign-in-error');
  problem.textContent = message ?? '';
  problem.hidden = !message;
  byId('token').focus();
}

/** @param {{ message: string }} err */
function unauthorized(err) {
  clearToken();
  showSignIn(`The API refused the token: ${err.message}`);
}

function selectedFromHash() {
  const id = /^#link\/(.+)$/.exec(location.hash)?.[1];
  return id ? decodeURIComponent(id) : null;
}

async function refreshLinks() {
  /** @type {LinkPage} */
  const page = await api('/api/v1/links?pageSize=100');
  links = page.items ?? [];
  linksNext = page.nextPageToken ?? null;
  renderLinkRows(byId('links-body'), links, detail.currentId() ?? selectedFromHash());
  byId('links-more').hidden = !linksNext;
}

/** @param {string} id */
async function showLink(id) {
  try {
    await detail.load(id);
    renderLinkRows(byId('links-body'), links, id);
  } catch (err) {
    showError(err);
  }
}

async function start() {
  if (!getToken()) return showSignIn();
  try {
    await refreshLinks();
  } catch (caught) {
    const err = failure(caught);
    if (err.status === 401) return unauthorized(err);
    showSignIn(`Could not reach the API: ${err.message}`);
    return;
  }
  byId('sign-in').hidden = true;
  byId('app').hidden = false;
  byId('nav').hidden = false;
  byId('session').hidden = false;
  const id = selectedFromHash() ?? links[0]?.id;
  await Promise.all([
    id ? showLink(id) : Promise.resolve(),
    loadDeadLetters(showError),
    loadHealth({ onUnauthorized: unauthorized }),
    loadAiUsage({ onUnauthorized: unauthorized }),
  ]);
}

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId('token', HTMLInputElement);
  const token = input.value.trim();
  if (!token) return;
  setToken(token);
  input.value = '';
  clearError();
  start();
});

byId('sign-out').addEventListener('click', () => {
  clearToken();
  clearError();
  showSignIn();
});

byId('refresh').addEventListener('click', async () => {
  clearError();
  try {
    await refreshLinks();
    const id = detail.currentId();
    await Promise.all([
      id ? detail.load(id, { keepStatus: true }) : null,
      loadDeadLetters(showError),
      loadHealth({ onUnauthorized: unauthorized }),
      loadAiUsage({ onUnauthorized: unauthorized }),
    ]);
  } catch (err) {
    showError(err);
  }
});

byId('links-more').addEventListener('click', async () => {
  if (!linksNext) return;
  try {
    /** @type {LinkPage} */
    const page = await api(`/api/v1/links?pageSize=100&pageToken=${enc(linksNext)}`);
    links = [...links, ...(page.items ?? [])];
    linksNext = page.nextPageToken ?? null;
    renderLinkRows(byId('links-body'), links, detail.currentId());
    byId('links-more').hidden = !linksNext;
  } catch (err) {
    showError(err);
  }
});

byId('error-dismiss').addEventListener('click', clearError);
byId('health-hours').addEventListener('change', () => loadHealth({ onUnauthorized: unauthorized }));
for (const id of ['ai-usage-days', 'ai-usage-tenant']) {
  byId(id).addEventListener('change', () => loadAiUsage({ onUnauthorized: unauthorized }));
}
byId('dead-letters-reload').addEventListener('click', () => loadDeadLetters(showError));
byId('delivery-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = byId('delivery-id', HTMLInputElement).value.trim();
  if (id) lookUpDelivery(id);
});

window.addEventListener('hashchange', () => {
  const id = selectedFromHash();
  if (id && getToken() && id !== detail.currentId()) showLink(id);
});

start();
