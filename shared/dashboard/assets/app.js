import { api, clearToken, enc, getToken, setToken } from './api.js';
import { loadDeadLetters, lookUpDelivery } from './dead-letters-view.js';
import { byId } from './dom.js';
import { createLinkDetail } from './link-detail.js';
import { renderLinkRows } from './links-view.js';

let links = [];
let linksNext = null;

function showError(errOrMessage) {
  const message = typeof errOrMessage === 'string' ? errOrMessage : errOrMessage.message;
  if (typeof errOrMessage !== 'string' && errOrMessage.status === 401) return unauthorized(errOrMessage);
  byId('error-text').textContent = message;
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

function unauthorized(err) {
  clearToken();
  showSignIn(`The API refused the token: ${err.message}`);
}

function selectedFromHash() {
  const m = /^#link\/(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

async function refreshLinks() {
  const page = await api('/api/v1/links?pageSize=100');
  links = page.items ?? [];
  linksNext = page.nextPageToken ?? null;
  renderLinkRows(byId('links-body'), links, detail.currentId() ?? selectedFromHash());
  byId('links-more').hidden = !linksNext;
}

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
  } catch (err) {
    if (err.status === 401) return unauthorized(err);
    showSignIn(`Could not reach the API: ${err.message}`);
    return;
  }
  byId('sign-in').hidden = true;
  byId('app').hidden = false;
  byId('nav').hidden = false;
  byId('session').hidden = false;
  const id = selectedFromHash() ?? links[0]?.id;
  await Promise.all([id ? showLink(id) : Promise.resolve(), loadDeadLetters(showError)]);
}

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = byId('token').value.trim();
  if (!token) return;
  setToken(token);
  byId('token').value = '';
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
    await Promise.all([id ? detail.load(id, { keepStatus: true }) : null, loadDeadLetters(showError)]);
  } catch (err) {
    showError(err);
  }
});

byId('links-more').addEventListener('click', async () => {
  try {
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
byId('dead-letters-reload').addEventListener('click', () => loadDeadLetters(showError));
byId('delivery-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = byId('delivery-id').value.trim();
  if (id) lookUpDelivery(id);
});

window.addEventListener('hashchange', () => {
  const id = selectedFromHash();
  if (id && getToken() && id !== detail.currentId()) showLink(id);
});

start();
