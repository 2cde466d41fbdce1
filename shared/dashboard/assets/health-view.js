// @ts-check
/**
 * The health section: sync figures over a window (GET /api/v1/stats) as tiles and charts, and the
 * bridge's own health (GET /api/v1/health): provider rate-limit headroom, circuits and the queue.
 */
import { api, failure } from './api.js';
import { timeChart } from './charts.js';
import { byId, fill, formatDuration, h, time } from './dom.js';
import { loadSubscriptions, renderIntegrations } from './integrations-view.js';

/** @typedef {import('../api-types.ts').SyncStats} SyncStats */
/** @typedef {import('../api-types.ts').Health} Health */
/** @typedef {import('../api-types.ts').ResilienceStatus} ResilienceStatus */

/** Headroom below this share of the limit is marked (the alert policies use the same 10 %). */
const LOW_HEADROOM = 0.1;

/** @param {number | null | undefined} rate */
const percent = (rate) => (typeof rate === 'number' ? `${(rate * 100).toFixed(rate === 1 ? 0 : 1)} %` : '—');

/**
 * @param {string} label
 * @param {string} value
 * @param {string} [tone] ok | bad | warn
 */
const tile = (label, value, tone) =>
  h(
    'div',
    { class: `tile${tone ? ` tile-${tone}` : ''}` },
    h('span', { class: 'tile-label' }, label),
    h('strong', {}, value),
  );

/** @param {SyncStats} stats */
function renderTiles(stats) {
  const t = stats.totals;
  const finished = t.succeeded + t.failed;
  fill(
    byId('health-tiles'),
    tile('Sync runs', String(t.runs)),
    tile('Success rate', percent(t.successRate), finished === 0 ? undefined : t.failed > 0 ? 'bad' : 'ok'),
    tile('Conflict rate', percent(t.conflictRate), t.conflicted > 0 ? 'warn' : undefined),
    tile('Failed', String(t.failed), t.failed > 0 ? 'bad' : undefined),
    tile('In flight', String(t.inFlight)),
    tile('Latency p50', formatDuration(t.p50)),
    tile('Latency p95', formatDuration(t.p95)),
    tile('Latency p99', formatDuration(t.p99)),
  );
  const note = byId('health-window');
  note.textContent = `Runs queued from ${new Date(stats.from).toLocaleString()} to ${new Date(stats.to).toLocaleString()}, in ${stats.bucketMinutes}-minute buckets.`;
  if (stats.truncated) {
    note.textContent += ` Only the newest runs were read (since ${new Date(stats.coveredSince ?? stats.from).toLocaleString()}).`;
  }
}

/** @param {SyncStats} stats */
function renderCharts(stats) {
  const times = stats.buckets.map((b) => Math.floor(Date.parse(b.start) / 1000));
  timeChart(byId('latency-chart'), {
    title: 'Sync latency',
    unit: 'ms',
    times,
    series: [
      { label: 'p50', stroke: '#1a4f8b' },
      { label: 'p95', stroke: '#8a5300' },
      { label: 'p99', stroke: '#b3261e' },
    ],
    values: [
      stats.buckets.map((b) => b.p50),
      stats.buckets.map((b) => b.p95),
      stats.buckets.map((b) => b.p99),
    ],
    format: (v) => formatDuration(v),
  });
  timeChart(byId('runs-chart'), {
    title: 'Sync runs',
    unit: 'runs',
    times,
    series: [
      { label: 'succeeded', stroke: '#1e7d32' },
      { label: 'failed', stroke: '#b3261e' },
      { label: 'with conflicts', stroke: '#8a5300' },
    ],
    values: [
      stats.buckets.map((b) => b.succeeded),
      stats.buckets.map((b) => b.failed),
      stats.buckets.map((b) => b.conflicted),
    ],
  });
  fill(
    byId('health-errors'),
    stats.errors.length === 0
      ? h('p', { class: 'muted' }, 'No failed runs in this window.')
      : h(
          'table',
          { class: 'data compact' },
          h('caption', {}, 'Failed runs by error'),
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, 'Error code'), h('th', { scope: 'col' }, 'Runs')),
          ),
          h(
            'tbody',
            {},
            stats.errors.map((e) =>
              h('tr', {}, h('td', { class: 'mono' }, e.code), h('td', {}, String(e.count))),
            ),
          ),
        ),
  );
}

/** @param {ResilienceStatus | undefined} providers */
function providersView(providers) {
  const limits = providers?.rateLimits ?? [];
  const circuits = providers?.circuits ?? [];
  return [
    limits.length === 0
      ? h(
          'p',
          { class: 'muted' },
          'No provider has reported its rate limit yet (it is read from the answers of API calls).',
        )
      : h(
          'table',
          { class: 'data compact' },
          h('caption', {}, 'Rate-limit headroom'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Provider', 'Resource', 'Remaining', 'Headroom', 'Resets'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            limits.map((r) => {
              const share = r.limit > 0 ? r.remaining / r.limit : 0;
              const low = share < LOW_HEADROOM;
              return h(
                'tr',
                { class: low ? 'low-headroom' : null },
                h('td', { class: 'mono' }, r.key),
                h('td', {}, r.resource),
                h('td', {}, `${r.remaining} of ${r.limit}`),
                h('td', {}, percent(share), low ? h('span', { class: 'badge badge-error' }, 'low') : null),
                h('td', {}, time(r.resetAt)),
              );
            }),
          ),
        ),
    circuits.length === 0
      ? null
      : h(
          'ul',
          { class: 'circuits' },
          circuits.map((c) =>
            h(
              'li',
              { class: c.phase === 'closed' ? null : 'circuit-open' },
              h('span', { class: 'mono' }, c.name),
              `: circuit ${c.phase}`,
              c.consecutiveFailures ? `, ${c.consecutiveFailures} failures in a row` : '',
              c.lastFailure ? ` (last: ${c.lastFailure})` : '',
            ),
          ),
        ),
  ];
}

/** @param {Health} health */
function renderHealth(health) {
  const providers = /** @type {ResilienceStatus | undefined} */ (health.providers);
  const bus =
    /** @type {{ ok?: boolean, pending?: number, inFlight?: number, dead?: number, mode?: string, error?: string }} */ (
      health.bus
    );
  const queue =
    typeof bus.pending === 'number'
      ? `Queue: ${bus.pending} waiting, ${bus.inFlight ?? 0} being handled, ${bus.dead ?? 0} dead letters.`
      : bus.ok === false
        ? `Queue: not answering (${bus.error ?? 'unavailable'}).`
        : `Queue: ${bus.mode ?? 'answering'}.`;
  fill(
    byId('health-status'),
    h(
      'p',
      { class: health.status === 'ok' ? 'notice-ok' : 'inline-error' },
      health.status === 'ok'
        ? 'The bridge is healthy: the state store and the queue answer.'
        : `The bridge is degraded: ${[
            health.stateStore.ok ? null : `state store (${health.stateStore.error ?? 'no answer'})`,
            health.bus.ok ? null : `queue (${health.bus.error ?? 'no answer'})`,
          ]
            .filter(Boolean)
            .join(', ')} failing.`,
    ),
    h('p', { id: 'health-queue' }, queue),
    (providers?.waitingFor ?? []).map((w) => h('p', { class: 'notice-info' }, `Waiting: ${w}`)),
  );
  fill(byId('health-providers'), providersView(providers));
  renderIntegrations(health.integrations);
}

/**
 * Loads both parts; a part that fails says so in place and leaves the other shown.
 * @param {{ onUnauthorized: (err: { message: string }) => void }} hooks
 */
export async function loadHealth(hooks) {
  const hours = Number(byId('health-hours', HTMLSelectElement).value) || 24;
  const status = byId('health-load-status');
  status.textContent = 'Loading health figures…';
  const [stats, health] = await Promise.allSettled([
    /** @type {Promise<SyncStats>} */ (api(`/api/v1/stats?hours=${hours}`)),
    /** @type {Promise<Health>} */ (api('/api/v1/health', { accept: [503] })),
    loadSubscriptions(),
  ]);
  for (const result of [stats, health]) {
    if (result.status === 'rejected' && failure(result.reason).status === 401) {
      return hooks.onUnauthorized(failure(result.reason));
    }
  }
  const problems = [];
  if (stats.status === 'fulfilled') {
    renderTiles(stats.value);
    renderCharts(stats.value);
  } else problems.push(`sync figures: ${failure(stats.reason).message}`);
  if (health.status === 'fulfilled') renderHealth(health.value);
  else problems.push(`health: ${failure(health.reason).message}`);
  status.textContent = problems.length
    ? `Could not load ${problems.join('; ')}`
    : `Updated ${new Date().toLocaleTimeString()}.`;
  status.className = problems.length ? 'inline-error' : 'status';
}
