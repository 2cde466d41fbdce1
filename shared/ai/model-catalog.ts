import type { AiProviderId } from '../ports/index.ts';

export interface ModelSpec {
  provider: AiProviderId;
  model: string;
  contextTokens: number;
  structuredOutput: boolean;
  streaming: boolean;
}

/** Context windows of the default models (provider documentation); others fall back per provider. */
const KNOWN: Record<string, number> = {
  'gpt-4.1-mini': 1_047_576,
  'gpt-4.1': 1_047_576,
  'gpt-4o-mini': 128_000,
  'gpt-4o': 128_000,
  'claude-haiku-4-5': 200_000,
  'claude-sonnet-4-5': 200_000,
  'gemini-2.5-flash': 1_048_576,
  'gemini-2.5-pro': 1_048_576,
};
const FALLBACK: Record<AiProviderId, number> = { openai: 128_000, anthropic: 200_000, gemini: 1_048_576 };

/** All three APIs stream and take a JSON Schema for the answer (OpenAI `response_format`,
 * Anthropic `output_config.format`, Gemini `responseJsonSchema`). */
export function modelSpec(provider: AiProviderId, model: string): ModelSpec {
  return {
    provider,
    model,
    contextTokens: KNOWN[model] ?? FALLBACK[provider],
    structuredOutput: true,
    streaming: true,
  };
}
