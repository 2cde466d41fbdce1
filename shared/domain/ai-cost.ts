/**
 * Exact cost arithmetic: prices are turned into integer pico-USD (1e-12 $) per token once, and a
 * call's cost is a sum of integer products, so adding recorded costs loses nothing (floating-point
 * dollars would: 0.1 + 0.2). Number stays exact up to 2^53 pico-USD, about 9,000 USD per sum.
 */

/**
 * Pico-USD per token: flat, or by tier of the request's input. A request whose input tokens (cached
 * and cache-written ones included) exceed a tier's `start` pays that tier's price for every token
 * of that kind (Google and Anthropic bill a long prompt whole at the higher rate; the price table
 * @pydantic/genai-prices says the same).
 */
export type AiTokenPrice = number | { base: number; tiers: ReadonlyArray<{ start: number; price: number }> };

export interface AiTokenPrices {
  input: AiTokenPrice;
  /** Cache reads; input's price when the table has none. */
  cachedInput: AiTokenPrice;
  /** Cache writes (Anthropic's 5-minute writes); input's price when the table has none. */
  cacheWrite?: AiTokenPrice | undefined;
  /** One-hour cache writes; cacheWrite's price when the table has none. */
  cacheWrite1h?: AiTokenPrice | undefined;
  output: AiTokenPrice;
}

export interface AiTokenUsage {
  /** All input tokens, cached and cache-written ones included. */
  inputTokens: number;
  /** Input tokens read from the provider's cache. */
  cachedInputTokens: number;
  /** Input tokens written to the cache (Anthropic's cache_creation_input_tokens). */
  cacheWriteTokens?: number | undefined;
  /** Of those, the ones written for an hour (a dearer write). */
  cacheWrite1hTokens?: number | undefined;
  outputTokens: number;
}

/** USD per million tokens → pico-USD per token (1 $/Mtok = 1e-6 $/token = 1e6 pico-USD/token). */
export function picoPerToken(usdPerMtok: number): number {
  const pico = Math.round(usdPerMtok * 1e6);
  if (!Number.isSafeInteger(pico) || pico < 0) throw new Error(`unusable price ${usdPerMtok} USD/Mtok`);
  return pico;
}

/** The price that applies to a request of `inputTokens` input tokens. */
export function priceAt(price: AiTokenPrice, inputTokens: number): number {
  if (typeof price === 'number') return price;
  let at = price.base;
  for (const tier of price.tiers) if (inputTokens > tier.start) at = tier.price;
  return at;
}

export function costPicoUsd(usage: AiTokenUsage, prices: AiTokenPrices): number {
  const n = usage.inputTokens;
  const cached = Math.min(usage.cachedInputTokens, n);
  const writes = Math.min(usage.cacheWriteTokens ?? 0, n - cached);
  const writes1h = Math.min(usage.cacheWrite1hTokens ?? 0, writes);
  const input = priceAt(prices.input, n);
  const write = prices.cacheWrite === undefined ? input : priceAt(prices.cacheWrite, n);
  const write1h = prices.cacheWrite1h === undefined ? write : priceAt(prices.cacheWrite1h, n);
  return (
    (n - cached - writes) * input +
    cached * priceAt(prices.cachedInput, n) +
    (writes - writes1h) * write +
    writes1h * write1h +
    usage.outputTokens * priceAt(prices.output, n)
  );
}
