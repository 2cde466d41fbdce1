import { calcPrice } from '@pydantic/genai-prices';
import { type AiTokenPrice, type AiTokenPrices, picoPerToken } from '../domain/index.ts';
import type { AiProviderId } from '../ports/index.ts';

/** genai-prices names Gemini's provider `google`. */
const PRICE_PROVIDER: Record<AiProviderId, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
};

export type ModelPrices = AiTokenPrices;

/**
 * The model's prices from the price table bundled with the pinned @pydantic/genai-prices (never
 * updated at run time, so a cost is reproducible from the recorded usage), flat or tiered by the
 * request's input size, with the cache-read and cache-write prices where the table has them.
 * Undefined when the table does not know the model or has no input and output price for it: such
 * a model's calls are recorded as unpriced, never as free.
 */
export function modelPrices(provider: AiProviderId, model: string): ModelPrices | undefined {
  const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, {
    providerId: PRICE_PROVIDER[provider],
  });
  const price = found?.model_price;
  if (!price) return undefined;
  const input = toPico(price.input_mtok);
  const output = toPico(price.output_mtok);
  if (input === undefined || output === undefined) return undefined;
  const cacheWrite = toPico(price.cache_write_mtok);
  const cacheWrite1h = toPico(price.cache_write_1h_mtok);
  return {
    input,
    cachedInput: toPico(price.cache_read_mtok) ?? input,
    output,
    ...(cacheWrite !== undefined ? { cacheWrite } : {}),
    ...(cacheWrite1h !== undefined ? { cacheWrite1h } : {}),
  };
}

/** A table price (USD per Mtok, flat or `{base, tiers}`) in pico-USD per token. */
function toPico(value: unknown): AiTokenPrice | undefined {
  if (typeof value === 'number') return picoPerToken(value);
  if (typeof value !== 'object' || value === null) return undefined;
  const { base, tiers } = value as { base?: unknown; tiers?: unknown };
  if (typeof base !== 'number' || !Array.isArray(tiers)) return undefined;
  const out: Array<{ start: number; price: number }> = [];
  for (const tier of tiers as Array<{ start?: unknown; price?: unknown }>) {
    if (typeof tier?.start !== 'number' || typeof tier.price !== 'number') return undefined;
    out.push({ start: tier.start, price: picoPerToken(tier.price) });
  }
  return { base: picoPerToken(base), tiers: out.sort((a, b) => a.start - b.start) };
}
