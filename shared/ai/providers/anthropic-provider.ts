import type { AiCallInput, AiCallResult, AiProvider, AiUsage } from '../../ports/index.ts';
import { keyedClient, type ProviderConnection } from './connection.ts';

/** Anthropic Messages, streamed; structured output through `output_config.format`. */
export function anthropicProvider(connection: ProviderConnection): AiProvider {
  const load = keyedClient(connection.apiKey, (apiKey) =>
    import('@anthropic-ai/sdk').then(
      ({ Anthropic }) =>
        new Anthropic({
          apiKey,
          ...(connection.baseUrl ? { baseURL: connection.baseUrl } : {}),
          maxRetries: 0,
          timeout: connection.requestTimeoutMs,
        }),
    ),
  );
  return {
    id: 'anthropic',
    async prepare() {
      await load.client();
    },
    keyId: () => load.keyId(),
    async checkKey(signal: AbortSignal) {
      const anthropic = await load.client();
      await anthropic.models.list({ limit: 1 }, { signal });
    },
    async complete(input: AiCallInput): Promise<AiCallResult> {
      const anthropic = await load.client();
      const stream = await anthropic.messages.create(
        {
          model: input.model,
          max_tokens: input.maxOutputTokens,
          system: input.system,
          messages: [{ role: 'user', content: input.prompt }],
          stream: true,
          ...(input.jsonSchema
            ? { output_config: { format: { type: 'json_schema' as const, schema: input.jsonSchema.schema } } }
            : {}),
        },
        { signal: input.signal },
      );
      let text = '';
      let model = input.model;
      const usage: AiUsage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
      for await (const event of stream) {
        input.onFirstByte();
        if (event.type === 'message_start') {
          model = event.message.model;
          const u = event.message.usage;
          const cached = u.cache_read_input_tokens ?? 0;
          const writes = u.cache_creation_input_tokens ?? 0;
          // Anthropic counts uncached input apart from cache reads and writes; ours includes them.
          usage.inputTokens = u.input_tokens + cached + writes;
          usage.cachedInputTokens = cached;
          // Writes cost more than input (1.25×, 2× for an hour): kept apart to be priced as such.
          if (writes > 0) {
            usage.cacheWriteTokens = writes;
            const hour = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
            if (hour > 0) usage.cacheWrite1hTokens = Math.min(hour, writes);
          }
          usage.outputTokens = u.output_tokens;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
          input.onText(event.delta.text);
        } else if (event.type === 'message_delta') {
          // Cumulative, as the final count.
          usage.outputTokens = event.usage.output_tokens;
        }
      }
      return { text, usage, model };
    },
  };
}
