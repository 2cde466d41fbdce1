import { setTimeout as delay } from 'node:timers/promises';
import {
  ADMIN_TENANT,
  aiDailyRequests,
  aiHourlyTokens,
  decideQuota,
  quotaPeriods,
  thresholdsCrossed,
} from '../domain/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS, docId, docIdPart, overrideInForce } from '../records/index.ts';

export interface QuotaOptions {
  enterpriseDailyRequests: number;
  /** Tokens an hour for the enterprise tier (others: free 20,000, starter 200,000, pro 2,000,000). */
  enterpriseHourlyTokens?: number;
  /** Per tenant per month, pico-USD; no budget when undefined. */
  monthlyBudgetPico?: number | undefined;
  now: () => Date;
  /** Told when a tenant's usage first reaches 80, 90 or 100 % of a limit in a period (after the write). */
  onThreshold?: (reached: UsageThreshold) => void;
}

export interface UsageThreshold {
  tenant: string;
  limit: 'daily-requests' | 'monthly-budget';
  /** 0.8, 0.9 or 1. */
  threshold: number;
  used: number;
  of: number;
  /** The day (YYYY-MM-DD) or month (YYYY-MM). */
  period: string;
}

export interface Reservation {
  /** Reports what the call really did: whether it served an answer and what every attempt cost. */
  settle(actual: { served: boolean; costPico: number; tokens?: number }): Promise<void>;
}

interface DayDoc {
  tenant: string;
  day: string;
  requests: number;
}
interface HourDoc {
  tenant: string;
  hour: string;
  tokens: number;
  reservedTokens: number;
}
interface MonthDoc {
  tenant: string;
  month: string;
  costPico: number;
  reservedPico: number;
  requests: number;
}

const DAY_TTL_MS = 3 * 86_400_000;
const HOUR_TTL_MS = 86_400_000;
const MONTH_TTL_MS = 400 * 86_400_000;
/** Attempts of one reservation transaction when another instance keeps winning the race. */
const MAX_TRIES = 8;
/** Tenants the meter's budget gauge remembers at most (the least recently seen go first). */
const MAX_TENANTS_SEEN = 1000;

/**
 * Tier quotas (requests a day) and monthly budgets, reserved in one state-store transaction before
 * the call (the request, and an estimate of its cost) and settled after (the request kept only if
 * served; the estimate replaced by the actual cost), so any number of instances together stay under
 * the limit. Within one process reservations of one tenant queue behind each other, so concurrent
 * callers do not spend the store's optimistic retries racing each other.
 */
export class AiQuota {
  private readonly state: StateStore;
  private readonly options: QuotaOptions;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Each tenant's last known use of a limit in this instance (for the meter), newest last, bounded. */
  private readonly lastUse = new Map<
    string,
    { tenant: string; limit: UsageThreshold['limit']; used: number }
  >();

  constructor(state: StateStore, options: QuotaOptions) {
    this.state = state;
    this.options = options;
  }

  /** The fraction of its daily requests and monthly budget each tenant used, as last seen here. */
  usage(): Array<{ tenant: string; limit: UsageThreshold['limit']; used: number }> {
    return [...this.lastUse.values()];
  }

  async reserve(
    tenant: string,
    tier: string,
    estimatePico: number,
    estimateTokens = 0,
  ): Promise<Reservation | undefined> {
    if (tenant === ADMIN_TENANT) return undefined;
    const periods = quotaPeriods(this.options.now());
    const dayId = docId(docIdPart(tenant), periods.day);
    const monthId = docId(docIdPart(tenant), periods.month);
    const hourId = docId(docIdPart(tenant), periods.hour);
    const tierDaily = aiDailyRequests(tier, this.options.enterpriseDailyRequests);
    const limits = {
      dailyRequests: tierDaily,
      monthlyBudgetPico: this.options.monthlyBudgetPico,
      hourlyTokens: aiHourlyTokens(tier, this.options.enterpriseHourlyTokens ?? 20_000_000),
    };
    const dayBefore = await this.serialized(tenant, () =>
      this.transact(async (tx) => {
        const day = (await tx.get<DayDoc>(COLLECTIONS.aiUsage, dayId))?.data;
        const month = (await tx.get<MonthDoc>(COLLECTIONS.aiUsage, monthId))?.data;
        const hour = (await tx.get<HourDoc>(COLLECTIONS.aiUsage, hourId))?.data;
        // An admin's temporary override, read in the same transaction as the counts it limits.
        const override = overrideInForce(
          (await tx.get(COLLECTIONS.aiQuotaOverrides, tenant))?.data,
          this.options.now(),
        );
        limits.dailyRequests = override ?? tierDaily;
        const verdict = decideQuota(
          {
            dayRequests: day?.requests ?? 0,
            monthCostPico: month?.costPico ?? 0,
            monthReservedPico: month?.reservedPico ?? 0,
            hourTokens: hour?.tokens ?? 0,
            hourReservedTokens: hour?.reservedTokens ?? 0,
          },
          limits,
          estimatePico,
          estimateTokens,
        );
        if (!verdict.ok) {
          const until =
            verdict.limit === 'daily-requests'
              ? periods.dayEndsAt
              : verdict.limit === 'hourly-tokens'
                ? periods.hourEndsAt
                : periods.monthEndsAt;
          const seconds = Math.max(1, Math.ceil((until.getTime() - this.options.now().getTime()) / 1000));
          throw new AppError(
            'rate_limited',
            verdict.limit === 'daily-requests'
              ? `AI quota used: ${limits.dailyRequests} requests a day for tier ${tier}; resets ${until.toISOString()}`
              : verdict.limit === 'hourly-tokens'
                ? `AI quota used: ${limits.hourlyTokens} tokens an hour for tier ${tier}; resets ${until.toISOString()}`
                : `AI budget of this month used; resets ${until.toISOString()}`,
            { headers: { 'retry-after': String(seconds) }, details: { limit: verdict.limit } },
          );
        }
        tx.set(
          COLLECTIONS.aiUsage,
          dayId,
          { tenant, day: periods.day, requests: (day?.requests ?? 0) + 1 },
          { expireAt: new Date(periods.dayEndsAt.getTime() + DAY_TTL_MS) },
        );
        tx.set(
          COLLECTIONS.aiUsage,
          monthId,
          {
            tenant,
            month: periods.month,
            costPico: month?.costPico ?? 0,
            reservedPico: (month?.reservedPico ?? 0) + estimatePico,
            requests: (month?.requests ?? 0) + 1,
          },
          { expireAt: new Date(periods.monthEndsAt.getTime() + MONTH_TTL_MS) },
        );
        tx.set(
          COLLECTIONS.aiUsage,
          hourId,
          {
            tenant,
            hour: periods.hour,
            tokens: hour?.tokens ?? 0,
            reservedTokens: (hour?.reservedTokens ?? 0) + estimateTokens,
          },
          { expireAt: new Date(periods.hourEndsAt.getTime() + HOUR_TTL_MS) },
        );
        return day?.requests ?? 0;
      }),
    );
    this.tell(tenant, 'daily-requests', dayBefore, dayBefore + 1, limits.dailyRequests, periods.day);
    return {
      settle: async ({ served, costPico, tokens = 0 }) => {
        let spent: { before: number; after: number } | undefined;
        await this.serialized(tenant, () =>
          this.transact(async (tx) => {
            spent = undefined;
            const day = (await tx.get<DayDoc>(COLLECTIONS.aiUsage, dayId))?.data;
            const month = (await tx.get<MonthDoc>(COLLECTIONS.aiUsage, monthId))?.data;
            const hour = (await tx.get<HourDoc>(COLLECTIONS.aiUsage, hourId))?.data;
            if (hour) {
              tx.set(
                COLLECTIONS.aiUsage,
                hourId,
                {
                  ...hour,
                  tokens: hour.tokens + tokens,
                  reservedTokens: Math.max(0, hour.reservedTokens - estimateTokens),
                },
                { expireAt: new Date(periods.hourEndsAt.getTime() + HOUR_TTL_MS) },
              );
            }
            if (day && !served) {
              tx.set(
                COLLECTIONS.aiUsage,
                dayId,
                { ...day, requests: Math.max(0, day.requests - 1) },
                {
                  expireAt: new Date(periods.dayEndsAt.getTime() + DAY_TTL_MS),
                },
              );
            }
            if (month) {
              spent = { before: month.costPico, after: month.costPico + costPico };
              tx.set(
                COLLECTIONS.aiUsage,
                monthId,
                {
                  ...month,
                  costPico: month.costPico + costPico,
                  reservedPico: Math.max(0, month.reservedPico - estimatePico),
                  requests: month.requests - (served ? 0 : 1),
                },
                { expireAt: new Date(periods.monthEndsAt.getTime() + MONTH_TTL_MS) },
              );
            }
          }),
        );
        const budget = limits.monthlyBudgetPico;
        if (spent && budget !== undefined)
          this.tell(tenant, 'monthly-budget', spent.before, spent.after, budget, periods.month);
      },
    };
  }

  private tell(
    tenant: string,
    limit: UsageThreshold['limit'],
    before: number,
    after: number,
    of: number,
    period: string,
  ): void {
    const key = `${tenant}\u0000${limit}`;
    this.lastUse.delete(key);
    this.lastUse.set(key, { tenant, limit, used: of > 0 ? after / of : 0 });
    if (this.lastUse.size > MAX_TENANTS_SEEN) this.lastUse.delete(this.lastUse.keys().next().value ?? key);
    if (!this.options.onThreshold) return;
    for (const threshold of thresholdsCrossed(before, after, of)) {
      this.options.onThreshold({ tenant, limit, threshold, used: after, of, period });
    }
  }

  /** Runs `fn` after the tenant's earlier reservations in this process. */
  private serialized<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(tenant) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.queues.set(tenant, tail);
    void tail.then(() => {
      if (this.queues.get(tenant) === tail) this.queues.delete(tenant);
    });
    return run;
  }

  /** A transaction, tried again when other instances kept changing the documents (`conflict`). */
  private async transact<R>(
    fn: (tx: Parameters<Parameters<StateStore['runTransaction']>[0]>[0]) => Promise<R>,
  ): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.state.runTransaction(fn);
      } catch (err) {
        if (!isAppError(err) || err.code !== 'conflict' || attempt >= MAX_TRIES) throw err;
        await delay(Math.random() * 20 * attempt);
      }
    }
  }
}
