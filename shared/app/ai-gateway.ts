import type { AiGatewayOptions } from '../ai/index.ts';
import type { AppContext } from '../context/index.ts';
import { usdToPico } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import { type AiGateway, SECRETS } from '../ports/index.ts';
import { recordAiCall } from '../records/index.ts';

/** The context's AI gateway, or undefined when no provider key is set (shared/ai is not even loaded). */
export async function buildAiGateway(
  ctx: AppContext,
  options: AiGatewayOptions = {},
): Promise<AiGateway | undefined> {
  const { config } = ctx;
  const keys = await storedKeys(ctx);
  if (
    !config.OPENAI_API_KEY &&
    !config.ANTHROPIC_API_KEY &&
    !config.GEMINI_API_KEY &&
    Object.keys(keys).length === 0
  )
    return undefined;
  const { AiQuota, TenantRateLimit, createAiGateway } = await import('../ai/index.ts');
  const budget = config.AI_MONTHLY_BUDGET_USD;
  const quota = new AiQuota(ctx.state, {
    enterpriseDailyRequests: config.AI_ENTERPRISE_DAILY_REQUESTS,
    enterpriseHourlyTokens: config.AI_ENTERPRISE_HOURLY_TOKENS,
    monthlyBudgetPico: budget === undefined ? undefined : usdToPico(budget),
    now: ctx.now,
    // 80, 90 and 100 % of a quota or budget notify the tenant's subscriptions (once per period each).
    onThreshold: (reached) => {
      void import('../notifications/index.ts').then(({ aiUsageReached, notify }) =>
        notify(ctx, aiUsageReached(reached, ctx.now().toISOString())),
      );
    },
  });
  const rateLimit = new TenantRateLimit({
    perMinute: config.AI_TENANT_RPM,
    burst: config.AI_TENANT_BURST,
    maxWaitMs: config.AI_QUEUE_WAIT_MS,
    maxQueued: 100,
    now: () => ctx.now().getTime(),
  });
  return createAiGateway(config, {
    keys,
    rateLimit,
    storePrompts: config.AI_AUDIT_STORE_PROMPTS === true,
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

const STORED_KEYS = {
  openai: ['OPENAI_API_KEY', SECRETS.openaiApiKey],
  anthropic: ['ANTHROPIC_API_KEY', SECRETS.anthropicApiKey],
  gemini: ['GEMINI_API_KEY', SECRETS.geminiApiKey],
} as const;

/**
 * Providers whose key is not in the settings but in the secret store (Secret Manager on GCP): each
 * gets a reader of the latest version at use time (the store caches briefly), so adding a version
 * (a rotation) takes effect without a restart. A key read is added to the log redaction.
 */
async function storedKeys(
  ctx: AppContext,
): Promise<Partial<Record<keyof typeof STORED_KEYS, () => Promise<string>>>> {
  const out: Partial<Record<keyof typeof STORED_KEYS, () => Promise<string>>> = {};
  const entries = Object.entries(STORED_KEYS) as Array<
    [keyof typeof STORED_KEYS, (typeof STORED_KEYS)[keyof typeof STORED_KEYS]]
  >;
  // The stores are asked at once (each is a Secret Manager call on GCP, on the first AI request);
  // the readers are added in the table's order whatever order the answers come in.
  const found = await Promise.all(
    entries.map(async ([id, [setting, secret]]) => {
      if (ctx.config[setting]) return undefined;
      const read = async () => {
        const latest = await ctx.secrets.accessLatest(secret);
        if (!latest?.value)
          throw new AppError('config_invalid', `The ${secret} secret has no enabled version`);
        ctx.logger.addSecret(latest.value);
        return latest.value;
      };
      // Enabled only when a version exists now; a store that refuses the read (not granted) leaves it off.
      const present = await read().then(
        () => true,
        () => false,
      );
      return present ? ([id, read] as const) : undefined;
    }),
  );
  for (const entry of found) if (entry) out[entry[0]] = entry[1];
  return out;
}
