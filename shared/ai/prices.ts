import { calcPrice } from '@pydantic/genai-prices';
import { type AiTokenPrices, picoPerToken } from '../domain/index.ts';
import type { AiProviderId } from '../ports/index.ts';

/** genai-prices names Gemini's provider `google`. */
const PRICE_PROVIDER: Record<AiProviderId, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
};

export interface ModelPrices extends AiTokenPrices {
  inputPerMtok: number;
  outputPerMtok: number;
}

/**
 * The model's prices from the price table bundled with the pinned @pydantic/genai-prices (never
 * updated at run time, so a cost is reproducible from the recorded usage). Undefined when the
 * table does not know the model, or prices it in tiers by prompt size (not handled yet).
 */
export function modelPrices(provider: AiProviderId, model: string): ModelPrices | undefined {
  const found = calcPrice({ input_tokens: 0, output_tokens: 0 }, model, {
    providerId: PRICE_PROVIDER[provider],
  });
  const price = found?.model_price;
  if (!price) return undefined;
  const input = price.input_mtok;
  const output = price.output_mtok;
  const cached = price.cache_read_mtok ?? input;
  if (typeof input !== 'number' || typeof output !== 'number' || typeof cached !== 'number') return undefined;
  return {
    input: picoPerToken(input),
    cachedInput: picoPerToken(cached),
    output: picoPerToken(output),
    inputPerMtok: input,
    outputPerMtok: output,
  };
}
