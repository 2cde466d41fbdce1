// @ts-check
/**
 * Parts of the AI usage section: exact money, the budget and quota bars with their 80/90/100 %
 * marks, and each AI provider's circuit and key as GET /api/v1/health's `ai` part gives them.
 */
import { formatDuration, h, s, time } from './dom.js';

/** @typedef {import('../api-types.ts').AiUsage} AiUsage */
/** @typedef {import('../api-types.ts').AiHealth} AiHealth */
/** @typedef {AiUsage['limits']['tenants'][number]} TenantLimits */

const PICO_PER_USD = 1_000_000_000_000n;

/**
 * Exact US dollars from integer pico-USD (a decimal string or a safe integer): every digit kept,
 * trailing zeros dropped, at least cents (`$0.0039`, `$12.50`).
 * @param {string | number} pico
 */
export function formatUsd(pico) {
  const p = BigInt(pico);
  const sign = p < 0n ? '-' : '';
  const abs = p < 0n ? -p : p;
  const cents = (abs % PICO_PER_USD).toString().padStart(12, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}$${abs / PICO_PER_USD}.${cents}`;
}

/**
 * Dollars as a chart's figures read them (floats: rounded to a millionth).
 * @param {number} usd
 */
export const formatUsdFigure = (usd) => `$${usd.toFixed(6).replace(/(\.\d\d\d*?)0+$/, '$1')}`;

/** @param {number | null} share */
export const formatShare = (share) => (share === null ? '—' : `${Math.round(share * 1000) / 10} %`);

/**
 * A bar of `share` (clamped to the bar) with a tick at each mark; reached marks are flagged.
 * @param {string} label what the bar measures, for screen readers
 * @param {number | null} share
 * @param {number[]} marks
 * @param {number[]} reached
 */
function meter(label, share, marks, reached) {
  // 100 % sits at FULL, short of the end: room for its label, and for a bar past the limit.
  const FULL = 360;
  const width = 400;
  const filled = Math.max(0, Math.min(width / FULL, share ?? 0)) * FULL;
  const tone = reached.includes(1) ? 'full' : reached.length > 0 ? 'near' : 'fine';
  return s(
    'svg',
    {
      class: `meter meter-${tone}`,
      viewBox: `0 0 ${width} 32`,
      role: 'img',
      'aria-label': `${label}: ${formatShare(share)} used`,
    },
    s('rect', { class: 'meter-track', x: 0, y: 0, width: FULL, height: 14, rx: 3 }),
    s('rect', { class: 'meter-fill', x: 0, y: 0, width: filled, height: 14, rx: 3 }),
    marks.map((m) =>
      s(
        'g',
        { class: reached.includes(m) ? 'mark mark-reached' : 'mark', 'data-mark': String(m * 100) },
        s('line', { x1: m * FULL, x2: m * FULL, y1: 0, y2: 18 }),
        s('text', { x: m * FULL, y: 30, 'text-anchor': 'middle' }, `${m * 100} %`),
      ),
    ),
  );
}

/** @param {number[]} reached */
const reachedNote = (reached) =>
  reached.length === 0
    ? null
    : h(
        'span',
        { class: `badge ${reached.includes(1) ? 'badge-error' : 'badge-warn'}` },
        `reached ${reached.map((r) => `${r * 100} %`).join(', ')}`,
      );

/**
 * @param {TenantLimits} t
 * @param {number[]} marks
 * @param {boolean} named whether to head it with the tenant's name (the admin's view of every tenant)
 */
function tenantLimits(t, marks, named) {
  const { budget, quota } = t;
  const budgetText =
    budget.limitUsd === null
      ? `No monthly budget is set (AI_MONTHLY_BUDGET_USD); ${formatUsd(budget.usedPicoUsd)} spent in ${budget.month}.`
      : `${formatUsd(budget.usedPicoUsd)} of $${budget.limitUsd.toFixed(2)} spent in ${budget.month} (${formatShare(budget.share)})` +
        (budget.reservedUsd > 0 ? `, ${formatUsdFigure(budget.reservedUsd)} held by calls in flight.` : '.');
  const quotaText =
    `${quota.used} of ${quota.limit} requests on ${quota.day} (${formatShare(quota.share)}), ` +
    (quota.override
      ? `an admin's override until ${new Date(quota.override.expiresAt).toLocaleString()}.`
      : `tier ${quota.tier}.`);
  return h(
    'div',
    { class: 'limits', 'data-tenant': t.tenant },
    named ? h('h4', {}, t.tenant) : null,
    h('p', { class: 'limit-budget' }, budgetText, ' ', reachedNote(budget.reached)),
    budget.limitUsd === null ? null : meter('Monthly AI budget', budget.share, marks, budget.reached),
    h('p', { class: 'limit-quota' }, quotaText, ' ', reachedNote(quota.reached)),
    meter('Daily AI requests', quota.share, marks, quota.reached),
  );
}

/**
 * @param {AiUsage} usage
 */
export function limitsView(usage) {
  const { limits } = usage;
  if (limits.tenants.length === 0) {
    return h(
      'p',
      { class: 'muted' },
      usage.tenant === 'admin'
        ? 'The admin tenant’s own calls have no quota or budget.'
        : `No tenant has used AI requests on ${limits.day} or spent in ${limits.month}.`,
    );
  }
  const named = usage.tenant === undefined;
  return [
    limits.tenants.map((t) => tenantLimits(t, limits.marks, named)),
    limits.capped ? h('p', { class: 'hint' }, 'More tenants had usage than are listed here.') : null,
  ];
}

/** @param {AiHealth | undefined} ai */
export function aiConfigured(ai) {
  return Boolean(ai && 'enabled' in ai && ai.enabled);
}

/** @param {AiHealth | undefined} ai */
export function providersView(ai) {
  if (!ai) return h('p', { class: 'muted' }, 'The health answer says nothing about the AI layer.');
  if ('ok' in ai && ai.ok === false) {
    return h('p', { class: 'inline-error' }, `The AI layer did not start: ${ai.error}`);
  }
  if (!('providers' in ai) || !ai.enabled) {
    return h(
      'p',
      { class: 'muted', id: 'ai-not-configured' },
      'No AI provider is configured (OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY, or a key in the secret store): ' +
        'every AI feature takes its deterministic path.',
    );
  }
  return h(
    'table',
    { class: 'data compact' },
    h('caption', {}, `AI providers (routing by ${ai.policy})`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Provider', 'Model', 'Circuit', 'Key', 'Latency', 'Last failure'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ai.providers.map((p) =>
        h(
          'tr',
          { 'data-provider': p.provider },
          h('td', { class: 'mono' }, p.provider),
          h('td', { class: 'mono' }, p.model),
          h(
            'td',
            { class: 'circuit' },
            h(
              'span',
              {
                class: `badge ${p.circuit.phase === 'closed' ? 'badge-synced' : p.circuit.phase === 'open' ? 'badge-error' : 'badge-warn'}`,
              },
              p.circuit.phase,
            ),
            p.circuit.openUntil ? [' until ', time(p.circuit.openUntil)] : null,
            p.circuit.requests > 0
              ? ` ${formatShare(p.circuit.failureRate)} of ${p.circuit.requests} failed`
              : null,
          ),
          h(
            'td',
            { class: 'key' },
            p.keyValid === undefined ? 'not checked yet' : p.keyValid ? 'accepted' : 'refused',
          ),
          h('td', {}, p.latencyMs ? formatDuration(p.latencyMs.ewma) : '—'),
          h(
            'td',
            {},
            p.lastFailure
              ? [h('span', { class: 'mono' }, p.lastFailure.code), ' ', time(p.lastFailure.at)]
              : '—',
          ),
        ),
      ),
    ),
  );
}
