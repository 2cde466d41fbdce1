// @ts-check
/**
 * The AI usage section: spend per day by purpose and model (GET /api/v1/ai/usage), the month's
 * budget and the day's quota with their 80/90/100 % marks, recent calls from the audit
 * (GET /api/v1/ai/calls), and each provider's circuit and key (GET /api/v1/health's `ai`).
 */
import { aiConfigured, formatUsd, formatUsdFigure, limitsView, providersView } from './ai-limits.js';
import { api, enc, failure } from './api.js';
import { timeChart } from './charts.js';
import { byId, fill, formatDuration, h, time } from './dom.js';

/** @typedef {import('../api-types.ts').AiUsage} AiUsage */
/** @typedef {import('../api-types.ts').AiCallPage} AiCallPage */
/** @typedef {import('../api-types.ts').AiHealth} AiHealth */
/** @typedef {import('../api-types.ts').Health} Health */
/** @typedef {AiUsage['byPurpose'][number]} UsageGroup */

/** Series drawn per chart; smaller groups are summed into one "other" line. */
const MAX_SERIES = 6;
const COLOURS = ['#1a4f8b', '#8a5300', '#1e7d32', '#b3261e', '#5b3a9a', '#00707a', '#6b6f76'];
const RECENT_CALLS = 20;

/**
 * @param {string} label
 * @param {string} value
 * @param {string} [tone]
 */
const tile = (label, value, tone) =>
  h(
    'div',
    { class: `tile${tone ? ` tile-${tone}` : ''}` },
    h('span', { class: 'tile-label' }, label),
    h('strong', {}, value),
  );

/** @param {AiUsage} usage */
function renderTiles(usage) {
  const t = usage.totals;
  fill(
    byId('ai-usage-tiles'),
    tile('Spend', formatUsd(t.costPicoUsd)),
    tile('Requests', String(t.requests)),
    tile('Failed', String(t.failed), t.failed > 0 ? 'bad' : undefined),
    tile('Input tokens', String(t.inputTokens)),
    tile('Output tokens', String(t.outputTokens)),
    t.unpricedRequests > 0 ? tile('Unpriced calls', String(t.unpricedRequests), 'warn') : null,
  );
  const note = byId('ai-usage-window');
  note.textContent = `UTC days ${usage.days[0]} to ${usage.days.at(-1)}${usage.tenant ? `, tenant ${usage.tenant}` : ', every tenant'}.`;
  if (t.unpricedRequests > 0)
    note.textContent += ' Calls of a model the price table does not know count as $0 (unknown, not free).';
  if (usage.truncated) {
    note.textContent += ` Only the newest calls were read: the figures are whole from ${new Date(usage.coveredSince ?? '').toLocaleString()} on.`;
  }
}

/**
 * The biggest groups as they are, the rest summed as one series.
 * @param {UsageGroup[]} groups
 */
function chartSeries(groups) {
  const kept = groups.slice(0, MAX_SERIES);
  const rest = groups.slice(MAX_SERIES);
  const series = kept.map((g) => ({ label: g.key, values: g.perDay.costUsd }));
  if (rest.length > 0) {
    series.push({
      label: 'other',
      values:
        rest[0]?.perDay.costUsd.map((_, i) => rest.reduce((sum, g) => sum + (g.perDay.costUsd[i] ?? 0), 0)) ??
        [],
    });
  }
  return series;
}

/** @param {AiUsage} usage */
function renderCharts(usage) {
  const times = usage.days.map((d) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 1000));
  /** @type {Array<[string, string, UsageGroup[]]>} */
  const charts = [
    ['ai-spend-purpose-chart', 'AI spend by purpose', usage.byPurpose],
    ['ai-spend-model-chart', 'AI spend by model', usage.byModel],
  ];
  for (const [id, title, groups] of charts) {
    const series = chartSeries(groups);
    timeChart(byId(id), {
      title,
      unit: 'USD',
      times,
      series: series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length] ?? '#1a4f8b' })),
      values: series.map((s) => s.values),
      format: formatUsdFigure,
    });
  }
}

/** @param {AiUsage} usage */
function groupsTable(usage) {
  const rows = [
    ...usage.byPurpose.map((g) => ['purpose', g]),
    ...usage.byModel.map((g) => ['model', g]),
    ...(usage.byTenant ?? []).map((g) => ['tenant', g]),
  ];
  return h(
    'table',
    { class: 'data compact', id: 'ai-usage-groups' },
    h('caption', {}, 'Spend in the window by purpose, model and tenant'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['By', 'Name', 'Requests', 'Failed', 'Input tokens', 'Output tokens', 'Spend'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map(([kind, g]) => {
        const group = /** @type {UsageGroup} */ (g);
        return h(
          'tr',
          { 'data-group': `${kind}:${group.key}` },
          h('td', {}, String(kind)),
          h('td', { class: 'mono' }, group.key),
          h('td', {}, String(group.requests)),
          h('td', {}, String(group.failed)),
          h('td', {}, String(group.inputTokens)),
          h('td', {}, String(group.outputTokens)),
          h('td', { class: 'cost' }, formatUsd(group.costPicoUsd)),
        );
      }),
    ),
  );
}

/**
 * @param {AiCallPage} page
 * @param {boolean} admin
 */
function callsView(page, admin) {
  if (page.items.length === 0) return h('p', { class: 'muted' }, 'No AI calls are in the audit.');
  const heads = [
    'Time',
    admin ? 'Tenant' : null,
    'Purpose',
    'Provider',
    'Model',
    'Tokens in / out',
    'Cost',
    'Latency',
    'Outcome',
  ];
  return h(
    'table',
    { class: 'data compact' },
    h('caption', {}, `The ${page.items.length} most recent AI calls (the audit, newest first)`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        heads.filter(Boolean).map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      page.items.map((c) =>
        h(
          'tr',
          { 'data-call': c.id, class: c.outcome === 'ok' ? null : 'call-failed' },
          h('td', {}, time(c.at)),
          admin ? h('td', { class: 'mono' }, c.tenant) : null,
          h('td', {}, c.purpose),
          h('td', { class: 'mono' }, c.provider),
          h('td', { class: 'mono' }, c.model),
          h(
            'td',
            {},
            `${c.inputTokens} / ${c.outputTokens}`,
            c.cachedInputTokens ? ` (${c.cachedInputTokens} cached)` : '',
          ),
          h(
            'td',
            { class: 'cost' },
            c.priced === false ? 'unknown (unpriced model)' : formatUsd(c.costPicoUsd),
          ),
          h('td', {}, formatDuration(c.latencyMs)),
          h(
            'td',
            {},
            h('span', { class: `badge ${c.outcome === 'ok' ? 'badge-synced' : 'badge-error'}` }, c.outcome),
          ),
        ),
      ),
    ),
  );
}

/**
 * The admin's tenant filter, offered once the answer shows the caller is the admin (it has `byTenant`).
 * @param {AiUsage} usage
 */
function offerTenants(usage) {
  if (!usage.byTenant || usage.tenant !== undefined) return;
  const select = byId('ai-usage-tenant', HTMLSelectElement);
  const names = new Set([...usage.byTenant.map((g) => g.key), ...usage.limits.tenants.map((t) => t.tenant)]);
  names.delete('(other)');
  fill(
    select,
    h('option', { value: '' }, 'every tenant'),
    [...names].sort().map((n) => h('option', { value: n }, n)),
  );
  select.hidden = false;
  byId('ai-usage-tenant-label').hidden = false;
}

/**
 * @param {AiUsage} usage
 * @param {boolean} configured whether an AI provider is configured now
 */
function renderUsage(usage, configured) {
  const empty = usage.totals.requests === 0;
  const parts = ['ai-usage-tiles', 'ai-usage-window', 'ai-usage-charts', 'ai-usage-breakdown'];
  for (const id of parts) byId(id).hidden = empty;
  fill(
    byId('ai-usage-state'),
    configured
      ? null
      : h(
          'p',
          { class: 'notice-info' },
          empty
            ? 'No AI provider is configured, and no AI call is in the audit for this window: there is no usage to show.'
            : 'No AI provider is configured now; the figures below are of calls made before.',
        ),
    configured && empty
      ? h('p', { class: 'muted' }, `No AI calls from ${usage.days[0]} to ${usage.days.at(-1)}.`)
      : null,
  );
  if (!empty) {
    renderTiles(usage);
    renderCharts(usage);
    fill(byId('ai-usage-breakdown'), groupsTable(usage));
  }
  // With no provider and nothing spent, a bar of 0 % would be a figure about nothing.
  fill(byId('ai-limits'), !configured && empty ? null : limitsView(usage));
  byId('ai-limits-section').hidden = !configured && empty;
}

/**
 * Loads the section; a part that fails says so in place and leaves the others shown.
 * @param {{ onUnauthorized: (err: { message: string }) => void }} hooks
 */
export async function loadAiUsage(hooks) {
  const days = Number(byId('ai-usage-days', HTMLSelectElement).value) || 30;
  const tenant = byId('ai-usage-tenant', HTMLSelectElement).value;
  const filter = tenant ? `&tenant=${enc(tenant)}` : '';
  const status = byId('ai-usage-load-status');
  status.textContent = 'Loading AI usage…';
  const [usage, calls, health] = await Promise.allSettled([
    /** @type {Promise<AiUsage>} */ (api(`/api/v1/ai/usage?days=${days}${filter}`)),
    /** @type {Promise<AiCallPage>} */ (api(`/api/v1/ai/calls?pageSize=${RECENT_CALLS}${filter}`)),
    /** @type {Promise<Health>} */ (api('/api/v1/health', { accept: [503] })),
  ]);
  for (const result of [usage, calls, health]) {
    if (result.status === 'rejected' && failure(result.reason).status === 401) {
      return hooks.onUnauthorized(failure(result.reason));
    }
  }
  const problems = [];
  const ai =
    health.status === 'fulfilled' ? /** @type {AiHealth | undefined} */ (health.value.ai) : undefined;
  if (health.status === 'fulfilled') fill(byId('ai-providers'), providersView(ai));
  else problems.push(`provider status: ${failure(health.reason).message}`);
  const configured = health.status === 'rejected' || aiConfigured(ai);
  if (usage.status === 'fulfilled') {
    renderUsage(usage.value, configured);
    offerTenants(usage.value);
  } else problems.push(`usage: ${failure(usage.reason).message}`);
  if (calls.status === 'fulfilled') {
    fill(
      byId('ai-calls'),
      callsView(calls.value, usage.status === 'fulfilled' && Boolean(usage.value.byTenant)),
    );
  } else problems.push(`recent calls: ${failure(calls.reason).message}`);
  status.textContent = problems.length
    ? `Could not load ${problems.join('; ')}`
    : `Updated ${new Date().toLocaleTimeString()}.`;
  status.className = problems.length ? 'inline-error' : 'status';
}
