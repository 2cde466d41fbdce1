/**
 * Tier quotas and monthly budgets of the AI layer, as pure arithmetic over what the state store
 * holds. Days and months are UTC.
 */
export const AI_TIER_DAILY_REQUESTS = { free: 10, starter: 100, pro: 1000 } as const;
/** Tokens (input + output) an hour per tier. */
export const AI_TIER_HOURLY_TOKENS = { free: 20_000, starter: 200_000, pro: 2_000_000 } as const;

/** Tokens an hour for a tier; an unknown tier gets the free allowance. */
export function aiHourlyTokens(tier: string, enterprise: number): number {
  if (tier === 'enterprise') return enterprise;
  return AI_TIER_HOURLY_TOKENS[tier as keyof typeof AI_TIER_HOURLY_TOKENS] ?? AI_TIER_HOURLY_TOKENS.free;
}

/** Requests a day for a tier; an unknown tier (an API key's default `standard`) gets the free quota. */
export function aiDailyRequests(tier: string, enterprise: number): number {
  if (tier === 'enterprise') return enterprise;
  return AI_TIER_DAILY_REQUESTS[tier as keyof typeof AI_TIER_DAILY_REQUESTS] ?? AI_TIER_DAILY_REQUESTS.free;
}

/**
 * The tier a tenant's AI quota is counted against when no single key asks (a sync acting for it, the
 * usage page): the one with the largest daily quota among its active keys' tiers, else free.
 */
export function bestAiTier(
  keys: ReadonlyArray<{ tier?: string | undefined; revokedAt?: string | undefined }>,
  enterprise: number,
): { tier: string; dailyRequests: number } {
  let best = { tier: 'free', dailyRequests: aiDailyRequests('free', enterprise) };
  for (const key of keys) {
    if (key.revokedAt || !key.tier) continue;
    const dailyRequests = aiDailyRequests(key.tier, enterprise);
    if (dailyRequests > best.dailyRequests) best = { tier: key.tier, dailyRequests };
  }
  return best;
}

export interface QuotaPeriods {
  /** YYYY-MM-DDTHH (UTC). */
  hour: string;
  hourEndsAt: Date;
  day: string;
  month: string;
  dayEndsAt: Date;
  monthEndsAt: Date;
}

export function quotaPeriods(now: Date): QuotaPeriods {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  return {
    hour: now.toISOString().slice(0, 13),
    hourEndsAt: new Date(Date.UTC(y, m, d, now.getUTCHours() + 1)),
    day: now.toISOString().slice(0, 10),
    month: now.toISOString().slice(0, 7),
    dayEndsAt: new Date(Date.UTC(y, m, d + 1)),
    monthEndsAt: new Date(Date.UTC(y, m + 1, 1)),
  };
}

export interface QuotaUsage {
  /** Requests reserved or served today (reservations count until settled). */
  dayRequests: number;
  /** Settled cost this month, pico-USD. */
  monthCostPico: number;
  /** Estimates of calls in flight, pico-USD. */
  monthReservedPico: number;
  /** Tokens used this hour, and the estimates of calls in flight (absent: none). */
  hourTokens?: number;
  hourReservedTokens?: number;
}

export type QuotaVerdict =
  | { ok: true }
  | { ok: false; limit: 'daily-requests' | 'monthly-budget' | 'hourly-tokens' };

/** Whether one more request, estimated at `estimatePico`, fits under the limits. */
export function decideQuota(
  usage: QuotaUsage,
  limits: {
    dailyRequests: number;
    monthlyBudgetPico?: number | undefined;
    hourlyTokens?: number | undefined;
  },
  estimatePico: number,
  estimateTokens = 0,
): QuotaVerdict {
  if (usage.dayRequests + 1 > limits.dailyRequests) return { ok: false, limit: 'daily-requests' };
  if (
    limits.hourlyTokens !== undefined &&
    (usage.hourTokens ?? 0) + (usage.hourReservedTokens ?? 0) + estimateTokens > limits.hourlyTokens
  ) {
    return { ok: false, limit: 'hourly-tokens' };
  }
  if (
    limits.monthlyBudgetPico !== undefined &&
    usage.monthCostPico + usage.monthReservedPico + estimatePico > limits.monthlyBudgetPico
  ) {
    return { ok: false, limit: 'monthly-budget' };
  }
  return { ok: true };
}

/** The shares of a quota or budget at which the tenant is told (once per threshold per period). */
export const USAGE_ALERT_THRESHOLDS = [0.8, 0.9, 1] as const;

/** The thresholds that usage going from `before` to `after` of `limit` reached for the first time. */
export function thresholdsCrossed(before: number, after: number, limit: number): number[] {
  if (!(limit > 0)) return [];
  return USAGE_ALERT_THRESHOLDS.filter((t) => before < t * limit && after >= t * limit);
}
