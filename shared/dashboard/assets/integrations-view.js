// @ts-check
/**
 * The health section's integrations: each link's integration health as the 5-minute health job last
 * found it (from GET /api/v1/health), a failing link's history of changes on demand
 * (GET /api/v1/health/history), and the tenant's notification subscriptions.
 */
import { api, failure } from './api.js';
import { byId, fill, h, time } from './dom.js';

/** @typedef {import('../api-types.ts').Health} Health */
/** @typedef {import('../api-types.ts').HealthHistory} HealthHistory */
/** @typedef {import('../api-types.ts').NotificationSubscription} NotificationSubscription */

/** @param {string} status */
const badge = (status) =>
  h(
    'span',
    {
      class: `badge ${status === 'unhealthy' ? 'badge-error' : status === 'degraded' ? 'badge-warn' : 'badge-synced'}`,
    },
    status,
  );

/**
 * @param {string} linkId
 * @param {HTMLElement} into
 */
async function showHistory(linkId, into) {
  fill(into, h('p', { class: 'status' }, 'Loading history…'));
  try {
    const history = /** @type {HealthHistory} */ (
      await api(`/api/v1/health/history?link=${encodeURIComponent(linkId)}&limit=20`)
    );
    fill(
      into,
      history.items.length === 0
        ? h('p', { class: 'muted' }, 'No change of status recorded.')
        : h(
            'ol',
            { class: 'health-history' },
            history.items.map((c) =>
              h(
                'li',
                {},
                time(c.at),
                ' ',
                badge(c.to),
                ` ${c.change}`,
                c.failing.length ? `: ${c.failing.map((f) => `${f.check}: ${f.reason}`).join('; ')}` : '',
              ),
            ),
          ),
    );
  } catch (err) {
    fill(into, h('p', { class: 'inline-error' }, `History not loaded: ${failure(err).message}`));
  }
}

/** @param {Health['integrations']} integrations */
export function renderIntegrations(integrations) {
  const el = byId('health-integrations');
  if (!integrations || integrations.ok === false) {
    fill(el, h('p', { class: 'inline-error' }, 'Integration health could not be read.'));
    return;
  }
  const { healthy = 0, degraded = 0, unhealthy = 0, failing = [] } = integrations;
  fill(
    el,
    h(
      'p',
      { id: 'integrations-summary' },
      `${healthy} healthy, ${degraded} degraded, ${unhealthy} unhealthy`,
      healthy + degraded + unhealthy === 0 ? ' (the health job has not checked any link yet)' : '',
    ),
    failing.length === 0
      ? null
      : h(
          'ul',
          { class: 'integrations' },
          failing.map((f) => {
            const history = h('div', { class: 'history' });
            return h(
              'li',
              { 'data-link': f.linkId },
              badge(f.status),
              ' ',
              h('a', { href: `#link/${encodeURIComponent(f.linkId)}`, class: 'mono' }, f.linkId),
              ' since ',
              time(f.since),
              h(
                'ul',
                {},
                f.failing.map((c) => h('li', {}, h('span', { class: 'mono' }, c.check), `: ${c.reason}`)),
              ),
              h(
                'button',
                { type: 'button', class: 'link-button', onclick: () => showHistory(f.linkId, history) },
                'History',
              ),
              history,
            );
          }),
        ),
  );
}

/**
 * The form that subscribes a Slack incoming webhook or a signed webhook (the API checks the URL); a
 * generated signing key is shown once, in the status line.
 */
function subscribeForm() {
  const status = h('p', { class: 'status', role: 'status', id: 'subscribe-status' });
  const form = h(
    'form',
    { id: 'subscribe-form', class: 'row' },
    h('label', { for: 'subscribe-channel' }, 'Channel'),
    h(
      'select',
      { id: 'subscribe-channel', name: 'channel' },
      h('option', { value: 'slack' }, 'Slack incoming webhook'),
      h('option', { value: 'webhook' }, 'Signed webhook'),
    ),
    h('label', { for: 'subscribe-url' }, 'URL'),
    h('input', { id: 'subscribe-url', name: 'url', required: true, spellcheck: 'false', type: 'url' }),
    h('label', { for: 'subscribe-link' }, 'Link (empty: every link)'),
    h('input', { id: 'subscribe-link', name: 'link', spellcheck: 'false' }),
    h('button', { type: 'submit' }, 'Subscribe'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(/** @type {HTMLFormElement} */ (form));
    const link = String(data.get('link') ?? '').trim();
    status.textContent = 'Subscribing…';
    status.className = 'status';
    try {
      const created = /** @type {NotificationSubscription} */ (
        await api('/api/v1/notifications/subscriptions', {
          method: 'POST',
          body: { channel: data.get('channel'), url: data.get('url'), ...(link ? { linkId: link } : {}) },
        })
      );
      await loadSubscriptions();
      const done = byId('subscribe-status');
      done.textContent = created.secret
        ? `Subscribed. Signing key (shown once): ${created.secret}`
        : `Subscribed (${created.label}).`;
    } catch (err) {
      status.textContent = `Not subscribed: ${failure(err).message}`;
      status.className = 'inline-error';
    }
  });
  return [form, status];
}

/** @param {string} id */
async function unsubscribe(id) {
  try {
    await api(`/api/v1/notifications/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await loadSubscriptions();
  } catch (err) {
    byId('subscribe-status').textContent = `Not removed: ${failure(err).message}`;
  }
}

/** The tenant's subscriptions (nothing secret is in the answer). */
export async function loadSubscriptions() {
  const el = byId('health-notifications');
  try {
    const page = /** @type {{ items: NotificationSubscription[] }} */ (
      await api('/api/v1/notifications/subscriptions')
    );
    fill(
      el,
      page.items.length === 0
        ? h(
            'p',
            { class: 'muted' },
            'No notification subscriptions (bridge notify add, or POST /api/v1/notifications/subscriptions).',
          )
        : h(
            'table',
            { class: 'data compact' },
            h('caption', {}, 'Notification subscriptions'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Channel', 'Target', 'Link', 'Events', 'Last delivery'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              page.items.map((s) =>
                h(
                  'tr',
                  {},
                  h('td', {}, s.channel),
                  h('td', { class: 'mono' }, s.label),
                  h('td', { class: 'mono' }, s.linkId ?? 'every link'),
                  h('td', {}, s.triggers.join(', ')),
                  h(
                    'td',
                    { class: s.lastDelivery && !s.lastDelivery.ok ? 'inline-error' : null },
                    s.lastDelivery
                      ? [
                          time(s.lastDelivery.at),
                          s.lastDelivery.ok
                            ? ' sent'
                            : ` failed: ${s.lastDelivery.error ?? s.lastDelivery.status}`,
                        ]
                      : 'none yet',
                  ),
                  h(
                    'td',
                    {},
                    h(
                      'button',
                      { type: 'button', class: 'link-button', onclick: () => unsubscribe(s.id) },
                      'Remove',
                    ),
                  ),
                ),
              ),
            ),
          ),
      subscribeForm(),
    );
  } catch (err) {
    fill(el, h('p', { class: 'inline-error' }, `Subscriptions not loaded: ${failure(err).message}`));
  }
}
