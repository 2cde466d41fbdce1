// @ts-check
import { api, enc, failure } from './api.js';
import { byId, fill, h, safeLink } from './dom.js';

/** @typedef {import('../api-types.ts').BootstrapJob} BootstrapJob */

const POLL_MS = 1000;
const POLL_LIMIT = 600;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * The link's bootstrap job, or null when it never had one (the API answers 204).
 * @param {string} linkId
 * @returns {Promise<BootstrapJob | null>}
 */
export function fetchBootstrap(linkId) {
  return api(`/api/v1/links/${enc(linkId)}/bootstrap`);
}

/**
 * @param {BootstrapJob} job
 * @returns {string}
 */
function progressText(job) {
  const p = job.progress;
  const cost = p.modelCalls > 0 ? ` · $${p.costUsd.toFixed(4)}` : '';
  return `${job.status}: ${p.filesRead} files read · ${p.servicesFound} services · ${p.modelCalls} model calls${cost}`;
}

/**
 * The "Bootstrap definitions" panel of a link's page: shown while the repository has no definitions
 * (or a job exists); starts a job, follows its progress and events, cancels it, and links the pull
 * request it opened. `isCurrent` stops the polling when another link is shown.
 * @param {{ onError: (err: unknown) => void, isCurrent: (linkId: string) => boolean }} hooks
 */
export function createBootstrapPanel(hooks) {
  /** @type {string | null} */
  let linkId = null;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let timer = null;

  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  /** @param {BootstrapJob | null} job */
  function render(job) {
    const running = job !== null && !FINISHED.has(job.status);
    byId('bootstrap-start', HTMLButtonElement).disabled = running;
    byId('bootstrap-cancel').hidden = !running;
    const status = byId('bootstrap-status');
    if (!job) {
      status.textContent = '';
      fill(byId('bootstrap-events'));
      fill(byId('bootstrap-result'));
      return;
    }
    status.textContent = progressText(job);
    fill(
      byId('bootstrap-events'),
      ...job.events.map((e) =>
        h('li', {}, h('time', { datetime: e.at }, new Date(e.at).toLocaleTimeString()), ` ${e.step}`),
      ),
    );
    fill(
      byId('bootstrap-result'),
      job.pullRequest
        ? h(
            'p',
            {},
            `Proposed in pull request #${job.pullRequest.number}: `,
            safeLink(job.pullRequest.url),
            ' — merge it and the next sync brings the services into the design.',
          )
        : null,
      job.error ? h('p', { class: 'error' }, job.error.message) : null,
      job.services.length ? h('p', {}, `Services: ${job.services.map((s) => s.id).join(', ')}`) : null,
      ...job.notes.map((n) => h('p', { class: 'hint' }, n)),
    );
  }

  /** @param {string} id */
  function follow(id) {
    stop();
    let polls = 0;
    const tick = async () => {
      timer = null;
      if (linkId !== id || !hooks.isCurrent(id)) return;
      try {
        const job = await fetchBootstrap(id);
        if (linkId !== id) return;
        render(job);
        if (job && !FINISHED.has(job.status) && ++polls < POLL_LIMIT) timer = setTimeout(tick, POLL_MS);
      } catch (err) {
        hooks.onError(err);
      }
    };
    timer = setTimeout(tick, POLL_MS);
  }

  byId('bootstrap-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = linkId;
    if (!id) return;
    const button = byId('bootstrap-start', HTMLButtonElement);
    button.disabled = true;
    try {
      /** @type {BootstrapJob} */
      const job = await api(`/api/v1/links/${enc(id)}/bootstrap`, {
        method: 'POST',
        body: { model: byId('bootstrap-model', HTMLInputElement).checked },
      });
      render(job);
      follow(id);
    } catch (err) {
      button.disabled = false;
      byId('bootstrap-status').textContent = failure(err).message;
    }
  });

  byId('bootstrap-cancel').addEventListener('click', async () => {
    const id = linkId;
    if (!id) return;
    try {
      render(await api(`/api/v1/links/${enc(id)}/bootstrap/cancel`, { method: 'POST' }));
      follow(id);
    } catch (err) {
      byId('bootstrap-status').textContent = failure(err).message;
    }
  });

  return {
    /**
     * @param {string} id
     * @param {{ job: BootstrapJob | null, hasDefinitions: boolean }} state
     */
    show(id, state) {
      if (linkId !== id) stop();
      linkId = id;
      byId('bootstrap-section').hidden = state.hasDefinitions && !state.job;
      render(state.job);
      if (state.job && !FINISHED.has(state.job.status) && !timer) follow(id);
    },
    reset() {
      stop();
      linkId = null;
    },
  };
}
