import { z } from 'zod';
import { type AiGatewayOptions, createAiGateway } from '../../shared/ai/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { AiRequest } from '../../shared/ports/index.ts';
import type { LoopbackAi, LoopbackProvider } from '../support/loopback-ai/index.ts';

export const Summary = z.object({ summary: z.string() });

/** A gateway over the loopback server's providers (all three unless `only` names some). */
export function loopbackGateway(
  loop: LoopbackAi,
  env: Record<string, string> = {},
  options: AiGatewayOptions = {},
  only: LoopbackProvider[] = ['openai', 'anthropic', 'gemini'],
) {
  const keys: Record<LoopbackProvider, Record<string, string>> = {
    openai: { OPENAI_API_KEY: 'sk-loopback-openai', OPENAI_BASE_URL: loop.baseUrls.openai },
    anthropic: { ANTHROPIC_API_KEY: 'sk-ant-loopback', ANTHROPIC_BASE_URL: loop.baseUrls.anthropic },
    gemini: { GEMINI_API_KEY: 'loopback-gemini-key', GEMINI_BASE_URL: loop.baseUrls.gemini },
  };
  const config = loadConfig({ ...Object.assign({}, ...only.map((p) => keys[p])), ...env });
  const gateway = createAiGateway(config, options);
  if (!gateway) throw new Error('no provider configured');
  return gateway;
}

/** A request object mother. */
export function summaryRequest(over: Partial<AiRequest<z.infer<typeof Summary>>> = {}) {
  return {
    purpose: 'summary',
    tenant: 'acme',
    keyId: 'key1',
    instructions: 'Summarise the architecture change.',
    data: 'services: api, worker',
    schema: Summary,
    maxOutputTokens: 512,
    ...over,
  } satisfies AiRequest<z.infer<typeof Summary>>;
}
