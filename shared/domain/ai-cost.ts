/**
 * Exact cost arithmetic: prices are turned into integer pico-USD (1e-12 $) per token once, and a
 * call's cost is a sum of integer products, so adding recorded costs loses nothing (floating-point
 * dollars would: 0.1 + 0.2). Number stays exact up to 2^53 pico-USD, about 9,000 USD per sum.
 */
export interface AiTokenPrices {
  /** Pico-USD per token. */
  input: number;
  cachedInput: number;
  output: number;
}

export interface AiTokenUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** USD per million tokens → pico-USD per token (1 $/Mtok = 1e-6 $/token = 1e6 pico-USD/token). */
export function picoPerToken(usdPerMtok: number): number {
  const pico = Math.round(usdPerMtok * 1e6);
  if (!Number.isSafeInteger(pico) || pico < 0) throw new Error(`unusable price ${usdPerMtok} USD/Mtok`);
  return pico;
}

export function costPicoUsd(usage: AiTokenUsage, prices: AiTokenPrices): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  return (
    (usage.inputTokens - cached) * prices.input +
    cached * prices.cachedInput +
    usage.outputTokens * prices.output
  );
}
