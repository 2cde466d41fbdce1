import type { Config } from '../config/index.ts';
import { type AiRoutingPolicy, parseWeights } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import type { AiProvider, AiProviderId } from '../ports/index.ts';
import type { ErrorRateBreakerOptions } from './error-rate-breaker.ts';
import { modelSpec } from './model-catalog.ts';
import { AiOrchestrator, type ConfiguredModel, type OrchestratorOptions } from './orchestrator.ts';
import { modelPrices } from './prices.ts';
import { providerError } from './provider-error.ts';
import { anthropicProvider } from './providers/anthropic-provider.ts';
import type { ProviderConnection } from './providers/connection.ts';
import { geminiProvider } from './providers/gemini-provider.ts';
import { openAiProvider } from './providers/openai-provider.ts';

type AiConfig = Pick<
  Config,
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'OPENAI_MODEL'
  | 'ANTHROPIC_API_KEY'
  | 'ANTHROPIC_BASE_URL'
  | 'ANTHROPIC_MODEL'
  | 'GEMINI_API_KEY'
  | 'GEMINI_BASE_URL'
  | 'GEMINI_MODEL'
  | 'AI_ROUTING'
  | 'AI_ROUTING_WEIGHTS'
  | 'AI_TENANT_ROUTING'
  | 'AI_ATTEMPT_TIMEOUT_MS'
  | 'AI_REQUEST_TIMEOUT_MS'
>;

export interface AiGatewayOptions {
  breaker?: Omit<ErrorRateBreakerOptions, 'name' | 'now'>;
  now?: () => number;
  random?: () => number;
  record?: OrchestratorOptions['record'];
  quota?: OrchestratorOptions['quota'];
  rateLimit?: OrchestratorOptions['rateLimit'];
  storePrompts?: boolean;
  checkKeys?: boolean;
  keyCheckTimeoutMs?: number;
  /**
   * Keys of providers whose setting (OPENAI_API_KEY…) is not set, read at each use (the secret
   * store's latest version): such a provider is enabled, and a new version takes effect unrestarted.
   */
  keys?: Partial<Record<AiProviderId, () => Promise<string>>>;
}

const ADAPTERS: Record<AiProviderId, (c: ProviderConnection) => AiProvider> = {
  openai: openAiProvider,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
};

/**
 * The gateway over every provider whose key is set; undefined when none is (the layer is off and
 * callers take their deterministic path). The providers' official clients are used rather than the
 * AI SDK (`ai` + `@ai-sdk/*`): failover needs each client's own retries off and its real HTTP
 * errors (status, `retry-after`), and usage with cached-token counts for exact cost, which the
 * clients expose as the APIs send them; the AI SDK's unified layer adds retries and reshapes both.
 * Clients load on first call, so a process that never calls a model never loads them.
 */
export function createAiGateway(
  config: AiConfig,
  options: AiGatewayOptions = {},
): AiOrchestrator | undefined {
  const entries: Array<[AiProviderId, string | undefined, string | undefined, string]> = [
    ['openai', config.OPENAI_API_KEY, config.OPENAI_BASE_URL, config.OPENAI_MODEL],
    ['anthropic', config.ANTHROPIC_API_KEY, config.ANTHROPIC_BASE_URL, config.ANTHROPIC_MODEL],
    ['gemini', config.GEMINI_API_KEY, config.GEMINI_BASE_URL, config.GEMINI_MODEL],
  ];
  const weights = config.AI_ROUTING_WEIGHTS ? parseWeights(config.AI_ROUTING_WEIGHTS) : {};
  const models: ConfiguredModel[] = [];
  const { keys, ...orchestratorOptions } = options;
  for (const [id, setting, baseUrl, model] of entries) {
    const apiKey = setting ? () => Promise.resolve(setting) : keys?.[id];
    if (!apiKey) continue;
    const provider = ADAPTERS[id]({
      apiKey,
      ...(baseUrl ? { baseUrl } : {}),
      requestTimeoutMs: config.AI_REQUEST_TIMEOUT_MS,
    });
    const prices = modelPrices(id, model);
    models.push({
      provider,
      spec: modelSpec(id, model),
      ...(prices ? { prices } : {}),
      ...(weights[id] !== undefined ? { weight: weights[id] } : {}),
    });
  }
  if (models.length === 0) return undefined;
  return new AiOrchestrator({
    models,
    policy: config.AI_ROUTING,
    tenantPolicies: Object.fromEntries(
      (config.AI_TENANT_ROUTING ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => pair.split('=') as [string, AiRoutingPolicy]),
    ),
    attemptTimeoutMs: config.AI_ATTEMPT_TIMEOUT_MS,
    ...orchestratorOptions,
  });
}

/**
 * Whether the provider accepts `key` (the first page of its model list, within `timeoutMs`):
 * `valid` or `refused`; throws `unavailable` when the provider could not tell (timeout, 5xx, 429).
 * For the rotation job, which checks a new secret version before the older ones go.
 */
export async function verifyAiKey(
  config: Pick<
    Config,
    'OPENAI_BASE_URL' | 'ANTHROPIC_BASE_URL' | 'GEMINI_BASE_URL' | 'AI_REQUEST_TIMEOUT_MS'
  >,
  id: AiProviderId,
  key: string,
  timeoutMs = 10_000,
): Promise<'valid' | 'refused'> {
  const baseUrl = {
    openai: config.OPENAI_BASE_URL,
    anthropic: config.ANTHROPIC_BASE_URL,
    gemini: config.GEMINI_BASE_URL,
  }[id];
  const provider = ADAPTERS[id]({
    apiKey: () => Promise.resolve(key),
    ...(baseUrl ? { baseUrl } : {}),
    requestTimeoutMs: config.AI_REQUEST_TIMEOUT_MS,
  });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    await provider.prepare();
    await provider.checkKey(signal);
    return 'valid';
  } catch (err) {
    const error = providerError(id, err, signal.aborted);
    if (error.code === 'config_invalid') return 'refused';
    throw new AppError('unavailable', `${id} could not say whether the key is valid (${error.code})`, {
      headers: { 'retry-after': error.headers['retry-after'] ?? '60' },
    });
  }
}
