import { z } from 'zod';
import type { StateStore, WhereOp } from '../ports/index.ts';
import type { AiCallAudit } from './ai-calls.ts';
import { COLLECTIONS } from './collections.ts';
import { docId, docIdPart } from './doc-id.ts';

/** Audit records read per query while paging through a window. */
const PAGE = 1000;

export interface CallsSince {
  /** Newest first. */
  calls: AiCallAudit[];
  /** More records were in the window than `max`: `calls` are the newest ones, from `coveredSince` on. */
  truncated: boolean;
  coveredSince?: string;
}

/**
 * The audit records of one tenant (or every tenant's) from `since` on, newest first, paged through
 * in bounded queries and cut at `max` records (the answer says so).
 */
export async function listAiCallsSince(
  state: StateStore,
  tenant: string | undefined,
  since: string,
  max: number,
): Promise<CallsSince> {
  const where: Array<[string, WhereOp, string]> = [['at', '>=', since]];
  if (tenant) where.unshift(['tenant', '==', tenant]);
  const calls: AiCallAudit[] = [];
  let cursor: { startAfterId: string; startAfterValue: string } | undefined;
  for (;;) {
    // One more than `max` in all, to know whether there were more.
    const limit = Math.min(PAGE, max + 1 - calls.length);
    const docs = await state.query<AiCallAudit>(COLLECTIONS.aiCalls, {
      where,
      orderBy: { field: 'at', direction: 'desc' },
      limit,
      ...cursor,
    });
    for (const d of docs) calls.push(d.data);
    const last = docs.at(-1);
    if (calls.length > max) {
      calls.length = max;
      const oldest = calls.at(-1)?.at;
      return { calls, truncated: true, ...(oldest ? { coveredSince: oldest } : {}) };
    }
    if (!last || docs.length < limit) return { calls, truncated: false };
    cursor = { startAfterId: last.id, startAfterValue: last.data.at };
  }
}

/** A tenant's counts of one UTC day and month as the quota keeps them (shared/ai/ai-quota.ts). */
export const DayUsage = z.looseObject({ tenant: z.string(), day: z.string(), requests: z.number() });
export const MonthUsage = z.looseObject({
  tenant: z.string(),
  month: z.string(),
  costPico: z.number(),
  reservedPico: z.number().default(0),
  requests: z.number().default(0),
});
export type DayUsage = z.infer<typeof DayUsage>;
export type MonthUsage = z.infer<typeof MonthUsage>;

export interface PeriodUsage {
  day?: DayUsage;
  month?: MonthUsage;
}

/** One tenant's usage documents of `day` and `month` (read by id: no query). */
export async function tenantPeriodUsage(
  state: StateStore,
  tenant: string,
  periods: { day: string; month: string },
): Promise<PeriodUsage> {
  const [day, month] = await Promise.all([
    state.get(COLLECTIONS.aiUsage, docId(docIdPart(tenant), periods.day)),
    state.get(COLLECTIONS.aiUsage, docId(docIdPart(tenant), periods.month)),
  ]);
  const d = DayUsage.safeParse(day?.data);
  const m = MonthUsage.safeParse(month?.data);
  return { ...(d.success ? { day: d.data } : {}), ...(m.success ? { month: m.data } : {}) };
}

/**
 * Every tenant's usage documents of `day` and `month` (one equality query each, at most `max`
 * tenants per period: `capped` says when there were more).
 */
export async function allPeriodUsage(
  state: StateStore,
  periods: { day: string; month: string },
  max: number,
): Promise<{ byTenant: Map<string, PeriodUsage>; capped: boolean }> {
  const [days, months] = await Promise.all([
    state.query(COLLECTIONS.aiUsage, { where: [['day', '==', periods.day]], limit: max + 1 }),
    state.query(COLLECTIONS.aiUsage, { where: [['month', '==', periods.month]], limit: max + 1 }),
  ]);
  const byTenant = new Map<string, PeriodUsage>();
  for (const doc of days.slice(0, max)) {
    const d = DayUsage.safeParse(doc.data);
    if (d.success) byTenant.set(d.data.tenant, { ...byTenant.get(d.data.tenant), day: d.data });
  }
  for (const doc of months.slice(0, max)) {
    const m = MonthUsage.safeParse(doc.data);
    if (m.success) byTenant.set(m.data.tenant, { ...byTenant.get(m.data.tenant), month: m.data });
  }
  return { byTenant, capped: days.length > max || months.length > max };
}
