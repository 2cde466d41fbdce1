/**
 * AI spend and usage per UTC day, summed from audit records, as pure arithmetic. Cost is summed in
 * integer pico-USD with BigInt: a sum over months and tenants can pass 2^53 pico-USD (about 9,000
 * USD), where a float would start dropping picos. The exact sum goes out as a decimal string; the
 * USD number beside it is for charts.
 */
import { USAGE_ALERT_THRESHOLDS } from './ai-quota.ts';

/** The fields of one audit record (shared/records' AiCallAudit) that usage is made of. */
export interface UsageCall {
  tenant: string;
  purpose: string;
  provider: string;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costPicoUsd: number;
  priced?: boolean | undefined;
  outcome: string;
  at: string;
}

export interface UsageFigures {
  /** Attempts that reached a provider (failed ones included). */
  requests: number;
  /** Of them, not answered with a valid result (`outcome` other than `ok`). */
  failed: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Exact, integer pico-USD as a decimal string. */
  costPicoUsd: string;
  costUsd: number;
  /** Calls of a model the price table does not know: their cost is unknown (counted as 0). */
  unpricedRequests: number;
}

export interface UsageGroup extends UsageFigures {
  key: string;
  /** Per day of `days`: spend (USD) and requests. */
  perDay: { costUsd: number[]; requests: number[] };
}

export interface UsageSummary {
  /** The UTC days of the window, oldest first (YYYY-MM-DD). */
  days: string[];
  totals: UsageFigures;
  perDay: Array<{ day: string } & UsageFigures>;
  byPurpose: UsageGroup[];
  /** Keyed `provider/model`. */
  byModel: UsageGroup[];
  byTenant: UsageGroup[];
}

/** Groups kept by name per breakdown; the rest are summed into OTHER_GROUP. */
export const MAX_USAGE_GROUPS = 25;
/** A key no tenant, provider or model is spelled like (tenant names have no parentheses). */
export const OTHER_GROUP = '(other)';

const PICO_PER_USD = 1_000_000_000_000n;

/** Integer pico-USD to USD (a float, for charts and sorting; the exact value is the string). */
export function picoToUsd(pico: bigint): number {
  const whole = pico / PICO_PER_USD;
  return Number(whole) + Number(pico - whole * PICO_PER_USD) / 1e12;
}

/** USD (as settings give it) to pico-USD: rounded to the cent (1 cent = 1e10 pico-USD), so the product is exact. */
export function usdToPico(usd: number): number {
  return Math.round(usd * 100) * 1e10;
}

/** The `n` UTC days ending with `now`'s, oldest first. */
export function usageDays(now: Date, n: number): string[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  return Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(y, m, d - (n - 1 - i))).toISOString().slice(0, 10),
  );
}

interface Acc {
  requests: number;
  failed: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  pico: bigint;
  unpriced: number;
}
const emptyAcc = (): Acc => ({
  requests: 0,
  failed: 0,
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  pico: 0n,
  unpriced: 0,
});

function add(acc: Acc, call: UsageCall): void {
  acc.requests += 1;
  if (call.outcome !== 'ok') acc.failed += 1;
  acc.inputTokens += call.inputTokens;
  acc.cachedInputTokens += call.cachedInputTokens;
  acc.outputTokens += call.outputTokens;
  acc.pico += BigInt(call.costPicoUsd);
  if (call.priced === false) acc.unpriced += 1;
}

function merge(into: Acc, from: Acc): void {
  into.requests += from.requests;
  into.failed += from.failed;
  into.inputTokens += from.inputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.outputTokens += from.outputTokens;
  into.pico += from.pico;
  into.unpriced += from.unpriced;
}

function figures(acc: Acc): UsageFigures {
  return {
    requests: acc.requests,
    failed: acc.failed,
    inputTokens: acc.inputTokens,
    cachedInputTokens: acc.cachedInputTokens,
    outputTokens: acc.outputTokens,
    costPicoUsd: acc.pico.toString(),
    costUsd: picoToUsd(acc.pico),
    unpricedRequests: acc.unpriced,
  };
}

interface GroupAcc {
  total: Acc;
  days: Acc[];
}

/** Sums `calls` by day and by purpose, model and tenant; calls outside `days` are left out. */
export function summarizeAiUsage(calls: Iterable<UsageCall>, days: string[]): UsageSummary {
  const index = new Map(days.map((d, i) => [d, i]));
  const total = emptyAcc();
  const perDay = days.map(emptyAcc);
  const groups = { purpose: new Map<string, GroupAcc>(), model: new Map(), tenant: new Map() } as Record<
    'purpose' | 'model' | 'tenant',
    Map<string, GroupAcc>
  >;
  for (const call of calls) {
    const i = index.get(call.at.slice(0, 10));
    if (i === undefined) continue;
    add(total, call);
    add(perDay[i] as Acc, call);
    const keys = { purpose: call.purpose, model: `${call.provider}/${call.model}`, tenant: call.tenant };
    for (const kind of ['purpose', 'model', 'tenant'] as const) {
      let group = groups[kind].get(keys[kind]);
      if (!group) {
        group = { total: emptyAcc(), days: days.map(emptyAcc) };
        groups[kind].set(keys[kind], group);
      }
      add(group.total, call);
      add(group.days[i] as Acc, call);
    }
  }
  return {
    days,
    totals: figures(total),
    perDay: perDay.map((acc, i) => ({ day: days[i] as string, ...figures(acc) })),
    byPurpose: ranked(groups.purpose, days.length),
    byModel: ranked(groups.model, days.length),
    byTenant: ranked(groups.tenant, days.length),
  };
}

/** Most spend first (then most requests, then by name); beyond MAX_USAGE_GROUPS summed as OTHER_GROUP. */
function ranked(groups: Map<string, GroupAcc>, dayCount: number): UsageGroup[] {
  const sorted = [...groups.entries()].sort(
    ([ka, a], [kb, b]) =>
      (a.total.pico === b.total.pico ? 0 : a.total.pico > b.total.pico ? -1 : 1) ||
      b.total.requests - a.total.requests ||
      (ka < kb ? -1 : ka > kb ? 1 : 0),
  );
  const kept = sorted.slice(0, MAX_USAGE_GROUPS);
  const rest = sorted.slice(MAX_USAGE_GROUPS);
  if (rest.length > 0) {
    const other: GroupAcc = { total: emptyAcc(), days: Array.from({ length: dayCount }, emptyAcc) };
    for (const [, g] of rest) {
      merge(other.total, g.total);
      g.days.forEach((acc, i) => {
        merge(other.days[i] as Acc, acc);
      });
    }
    kept.push([OTHER_GROUP, other]);
  }
  return kept.map(([key, g]) => ({
    key,
    ...figures(g.total),
    perDay: {
      costUsd: g.days.map((acc) => picoToUsd(acc.pico)),
      requests: g.days.map((acc) => acc.requests),
    },
  }));
}

/** How much of a limit is used, and which of the 80/90/100 % marks that reaches. */
export function limitUse(
  used: number,
  limit: number | undefined,
): { share: number | null; reached: number[] } {
  if (limit === undefined || !(limit >= 0)) return { share: null, reached: [] };
  // A limit of 0 allows nothing: it is used up from the start.
  if (limit === 0) return { share: 1, reached: [...USAGE_ALERT_THRESHOLDS] };
  // The same comparison as the alerts' (thresholdsCrossed), so a mark shows once its alert went.
  return { share: used / limit, reached: USAGE_ALERT_THRESHOLDS.filter((t) => used >= t * limit) };
}
