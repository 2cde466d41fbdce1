import { z } from 'zod';
import type { AppContext } from '../../context/index.ts';
import {
  ADMIN_TENANT,
  bestAiTier,
  limitUse,
  picoToUsd,
  quotaPeriods,
  summarizeAiUsage,
  USAGE_ALERT_THRESHOLDS,
  usageDays,
  usdToPico,
} from '../../domain/index.ts';
import { AppError } from '../../errors/index.ts';
import { json } from '../../http/index.ts';
import {
  AiQuotaOverride,
  allPeriodUsage,
  COLLECTIONS,
  listAiCallsSince,
  listAiQuotaOverrides,
  overrideInForce,
  type PeriodUsage,
  tenantPeriodUsage,
} from '../../records/index.ts';
import { type ApiKeyDoc, type Caller, listApiKeys, TENANT_FORMAT, TENANT_RULE } from '../api-keys.ts';
import type { Router } from '../router.ts';
import { fieldError, queryParam } from '../validate.ts';

/** At most this many audit records are read for one answer (newest first); `truncated` says when there were more. */
export const USAGE_MAX_CALLS = 20_000;
/** At most this many tenants' budgets and quotas in the admin's view of all tenants. */
export const USAGE_MAX_TENANTS = 1000;
const MAX_KEYS = 5000;

const Days = z.coerce
  .number({ error: 'a whole number of days from 1 to 90' })
  .int('a whole number of days from 1 to 90')
  .min(1, 'a whole number of days from 1 to 90')
  .max(90, 'at most 90 days (the audit keeps AI_AUDIT_TTL_DAYS)')
  .default(30);

const Figures = {
  requests: z.number().int(),
  failed: z.number().int(),
  inputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** Exact integer pico-USD (1e-12 USD), as a decimal string. */
  costPicoUsd: z.string().regex(/^\d+$/),
  costUsd: z.number(),
  unpricedRequests: z.number().int(),
};
const Group = z.object({
  key: z.string(),
  ...Figures,
  perDay: z.object({ costUsd: z.array(z.number()), requests: z.array(z.number().int()) }),
});
const Use = { share: z.number().nullable(), reached: z.array(z.number()) };
const TenantLimits = z.object({
  tenant: z.string(),
  budget: z.object({
    month: z.string(),
    usedPicoUsd: z.string().regex(/^\d+$/),
    usedUsd: z.number(),
    /** Estimates of calls in flight, held against the budget until they settle. */
    reservedUsd: z.number(),
    /** AI_MONTHLY_BUDGET_USD; null when no budget is set. */
    limitUsd: z.number().nullable(),
    ...Use,
  }),
  quota: z.object({
    day: z.string(),
    used: z.number().int(),
    limit: z.number().int(),
    /** The tier giving `limit`: the largest daily quota among the tenant's active API keys' tiers. */
    tier: z.string(),
    /** An admin's override in force, which replaces the tier's quota. */
    override: AiQuotaOverride.pick({ dailyRequests: true, expiresAt: true }).optional(),
    ...Use,
  }),
});

/** `GET /api/v1/ai/usage`: the OpenAPI component `AiUsage`; the API tests validate real answers with it. */
export const AiUsageResponse = z.object({
  /** The UTC days of the window, oldest first. */
  days: z.array(z.string()),
  /** Whose figures: absent for every tenant's (the admin without `?tenant=`). */
  tenant: z.string().optional(),
  totals: z.object(Figures),
  perDay: z.array(z.object({ day: z.string(), ...Figures })),
  byPurpose: z.array(Group),
  /** Keyed `provider/model`. */
  byModel: z.array(Group),
  /** Admin only. */
  byTenant: z.array(Group).optional(),
  /** More audit records than were read: the figures cover only the newest, from `coveredSince` on. */
  truncated: z.boolean(),
  coveredSince: z.string().optional(),
  limits: z.object({
    day: z.string(),
    month: z.string(),
    /** The shares at which the tenant is notified (80, 90 and 100 %). */
    marks: z.array(z.number()),
    tenants: z.array(TenantLimits),
    /** More tenants had usage this period than are listed. */
    capped: z.boolean(),
  }),
});
type TenantLimits = z.input<typeof TenantLimits>;

export function aiUsageRoutes(router: Router<Caller>, ctx: AppContext): void {
  router.add('GET', '/api/v1/ai/usage', async (req, _p, caller) => {
    const days = usageDays(ctx.now(), queryParam(req, 'days', Days));
    const asked = req.query.get('tenant') ?? undefined;
    if (asked !== undefined && !TENANT_FORMAT.test(asked)) throw fieldError('tenant', TENANT_RULE);
    if (!caller.admin && asked !== undefined && asked !== caller.tenant) {
      throw new AppError('forbidden', 'A tenant sees its own AI usage only; use the admin token for others');
    }
    const tenant = caller.admin ? asked : caller.tenant;
    const read = await listAiCallsSince(ctx.state, tenant, `${days[0]}T00:00:00.000Z`, USAGE_MAX_CALLS);
    const { byTenant, ...summary } = summarizeAiUsage(read.calls, days);
    return json(200, {
      ...summary,
      ...(tenant ? { tenant } : {}),
      ...(caller.admin ? { byTenant } : {}),
      truncated: read.truncated,
      ...(read.coveredSince ? { coveredSince: read.coveredSince } : {}),
      limits: await limits(ctx, tenant),
    } satisfies z.input<typeof AiUsageResponse>);
  });
}

/** The month's budget and the day's quota: of one tenant, or of every tenant with usage this period. */
async function limits(ctx: AppContext, tenant: string | undefined) {
  const now = ctx.now();
  const periods = quotaPeriods(now);
  const base = { day: periods.day, month: periods.month, marks: [...USAGE_ALERT_THRESHOLDS] };
  // The admin's own calls are neither reserved nor limited (shared/ai/ai-quota.ts).
  if (tenant === ADMIN_TENANT) return { ...base, tenants: [], capped: false };
  if (tenant) {
    const [usage, keys, override] = await Promise.all([
      tenantPeriodUsage(ctx.state, tenant, periods),
      listApiKeys(ctx.state, tenant),
      ctx.state.get(COLLECTIONS.aiQuotaOverrides, tenant),
    ]);
    const overrides = new Map<string, AiQuotaOverride>();
    if (overrideInForce(override?.data, now) !== undefined)
      overrides.set(tenant, AiQuotaOverride.parse(override?.data));
    return { ...base, tenants: [tenantLimits(ctx, tenant, usage, keys, overrides, periods)], capped: false };
  }
  const [all, keys, overrides] = await Promise.all([
    allPeriodUsage(ctx.state, periods, USAGE_MAX_TENANTS),
    ctx.state.query<ApiKeyDoc>(COLLECTIONS.apiKeys, { limit: MAX_KEYS }),
    listAiQuotaOverrides(ctx.state, now),
  ]);
  const byOverride = new Map(overrides.map((o) => [o.tenant, o]));
  const tenants = [...all.byTenant.entries()]
    .filter(([t]) => t !== ADMIN_TENANT)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([t, usage]) =>
      tenantLimits(
        ctx,
        t,
        usage,
        keys.map((k) => k.data).filter((k) => k.tenant === t),
        byOverride,
        periods,
      ),
    );
  return { ...base, tenants, capped: all.capped };
}

function tenantLimits(
  ctx: AppContext,
  tenant: string,
  usage: PeriodUsage,
  keys: Array<Pick<ApiKeyDoc, 'tier' | 'revokedAt'>>,
  overrides: Map<string, AiQuotaOverride>,
  periods: { day: string; month: string },
): TenantLimits {
  const budgetUsd = ctx.config.AI_MONTHLY_BUDGET_USD;
  const budgetPico = budgetUsd === undefined ? undefined : usdToPico(budgetUsd);
  const usedPico = BigInt(usage.month?.costPico ?? 0);
  const enterprise = ctx.config.AI_ENTERPRISE_DAILY_REQUESTS;
  const { tier, dailyRequests: tierLimit } = bestAiTier(keys, enterprise);
  const override = overrides.get(tenant);
  const quotaLimit = override?.dailyRequests ?? tierLimit;
  const used = usage.day?.requests ?? 0;
  return {
    tenant,
    budget: {
      month: periods.month,
      usedPicoUsd: usedPico.toString(),
      usedUsd: picoToUsd(usedPico),
      reservedUsd: picoToUsd(BigInt(usage.month?.reservedPico ?? 0)),
      limitUsd: budgetPico === undefined ? null : budgetPico / 1e12,
      ...limitUse(Number(usedPico), budgetPico),
    },
    quota: {
      day: periods.day,
      used,
      limit: quotaLimit,
      tier,
      ...(override
        ? { override: { dailyRequests: override.dailyRequests, expiresAt: override.expiresAt } }
        : {}),
      ...limitUse(used, quotaLimit),
    },
  };
}
