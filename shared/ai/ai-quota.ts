import { setTimeout as delay } from 'node:timers/promises';
import { ADMIN_TENANT, aiDailyRequests, decideQuota, quotaPeriods } from '../domain/index.ts';
import { AppError, isAppError } from '../errors/index.ts';
import type { StateStore } from '../ports/index.ts';
import { COLLECTIONS, docId, docIdPart } from '../records/index.ts';

export interface QuotaOptions {
  enterpriseDailyRequests: number;
  /** Per tenant per month, pico-USD; no budget when undefined. */
  monthlyBudgetPico?: number | undefined;
  now: () => Date;
}

export interface Reservation {
  /** Reports what the call really did: whether it served an answer and what every attempt cost. */
  settle(actual: { served: boolean; costPico: number }): Promise<void>;
}

interface DayDoc {
  tenant: string;
  day: string;
  requests: number;
}
interface MonthDoc {
  tenant: string;
  month: string;
  costPico: number;
  reservedPico: number;
  requests: number;
}

const DAY_TTL_MS = 3 * 86_400_000;
const MONTH_TTL_MS = 400 * 86_400_000;
/** Attempts of one reservation transaction when another instance keeps winning the race. */
const MAX_TRIES = 8;

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

  constructor(state: StateStore, options: QuotaOptions) {
    this.state = state;
    this.options = options;
  }

  async reserve(tenant: string, tier: string, estimatePico: number): Promise<Reservation | undefined> {
    if (tenant === ADMIN_TENANT) return undefined;
    const periods = quotaPeriods(this.options.now());
    const dayId = docId(docIdPart(tenant), periods.day);
    const monthId = docId(docIdPart(tenant), periods.month);
    const limits = {
      dailyRequests: aiDailyRequests(tier, this.options.enterpriseDailyRequests),
      monthlyBudgetPico: this.options.monthlyBudgetPico,
    };
    await this.serialized(tenant, () =>
      this.transact(async (tx) => {
        const day = (await tx.get<DayDoc>(COLLECTIONS.aiUsage, dayId))?.data;
        const month = (await tx.get<MonthDoc>(COLLECTIONS.aiUsage, monthId))?.data;
        const verdict = decideQuota(
          {
            dayRequests: day?.requests ?? 0,
            monthCostPico: month?.costPico ?? 0,
            monthReservedPico: month?.reservedPico ?? 0,
          },
          limits,
          estimatePico,
        );
        if (!verdict.ok) {
          const until = verdict.limit === 'daily-requests' ? periods.dayEndsAt : periods.monthEndsAt;
          const seconds = Math.max(1, Math.ceil((until.getTime() - this.options.now().getTime()) / 1000));
          throw new AppError(
            'rate_limited',
            verdict.limit === 'daily-requests'
              ? `AI quota used: ${limits.dailyRequests} requests a day for tier ${tier}; resets ${until.toISOString()}`
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
      }),
    );
    return {
      settle: ({ served, costPico }) =>
        this.serialized(tenant, () =>
          this.transact(async (tx) => {
            const day = (await tx.get<DayDoc>(COLLECTIONS.aiUsage, dayId))?.data;
            const month = (await tx.get<MonthDoc>(COLLECTIONS.aiUsage, monthId))?.data;
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
        ),
    };
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
  private async transact(fn: Parameters<StateStore['runTransaction']>[0]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.state.runTransaction(fn);
        return;
      } catch (err) {
        if (!isAppError(err) || err.code !== 'conflict' || attempt >= MAX_TRIES) throw err;
        await delay(Math.random() * 20 * attempt);
      }
    }
  }
}
