import type { AiGatewayOptions } from '../ai/index.ts';
import type { AppContext } from '../context/index.ts';
import { aiUsageReached, notify } from '../notifications/index.ts';
import type { AiGateway } from '../ports/index.ts';
import { recordAiCall } from '../records/index.ts';

/** The context's AI gateway, or undefined when no provider key is set (shared/ai is not even loaded). */
export async function buildAiGateway(
  ctx: AppContext,
  options: AiGatewayOptions = {},
): Promise<AiGateway | undefined> {
  const { config } = ctx;
  if (!config.OPENAI_API_KEY && !config.ANTHROPIC_API_KEY && !config.GEMINI_API_KEY) return undefined;
  const { AiQuota, createAiGateway } = await import('../ai/index.ts');
  const budget = config.AI_MONTHLY_BUDGET_USD;
  const quota = new AiQuota(ctx.state, {
    enterpriseDailyRequests: config.AI_ENTERPRISE_DAILY_REQUESTS,
    // Cents to pico-USD: 1 cent = 1e10 pico-USD; rounding to the cent keeps the product exact.
    monthlyBudgetPico: budget === undefined ? undefined : Math.round(budget * 100) * 1e10,
    now: ctx.now,
    // 80, 90 and 100 % of a quota or budget notify the tenant's subscriptions (once per period each).
    onThreshold: (reached) => {
      void notify(ctx, aiUsageReached(reached, ctx.now().toISOString()));
    },
  });
  return createAiGateway(config, {
    now: () => ctx.now().getTime(),
    quota,
    record: ({ usage, ...call }) => {
      const audit = { ...call, ...usage };
      ctx.metrics.aiCall(audit);
      return recordAiCall(ctx.state, audit, config.AI_AUDIT_TTL_DAYS);
    },
    ...options,
  });
}
