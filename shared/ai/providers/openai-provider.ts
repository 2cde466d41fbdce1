import type { AiCallInput, AiCallResult, AiProvider } from '../../ports/index.ts';
import { keyedClient, type ProviderConnection } from './connection.ts';

/** OpenAI Chat Completions, streamed (so the first byte comes early and the timer can be short). */
export function openAiProvider(connection: ProviderConnection): AiProvider {
  const load = keyedClient(connection.apiKey, (apiKey) =>
    import('openai').then(
      ({ OpenAI }) =>
        new OpenAI({
          apiKey,
          ...(connection.baseUrl ? { baseURL: connection.baseUrl } : {}),
          // Its default retries twice with backoff; failover is ours to do, fast.
          maxRetries: 0,
          timeout: connection.requestTimeoutMs,
        }),
    ),
  );
  return {
    id: 'openai',
    async prepare() {
      await load.client();
    },
    keyId: () => load.keyId(),
    async checkKey(signal: AbortSignal) {
      const openai = await load.client();
      await openai.models.list({ signal });
    },
    async complete(input: AiCallInput): Promise<AiCallResult> {
      const openai = await load.client();
      const stream = await openai.chat.completions.create(
        {
          model: input.model,
          messages: [
            { role: 'system', content: input.system },
            { role: 'user', content: input.prompt },
          ],
          max_completion_tokens: input.maxOutputTokens,
          stream: true,
          stream_options: { include_usage: true },
          ...(input.jsonSchema
            ? {
                response_format: {
                  type: 'json_schema' as const,
                  json_schema: { name: input.jsonSchema.name, schema: input.jsonSchema.schema },
                },
              }
            : {}),
        },
        { signal: input.signal },
      );
      let text = '';
      let model = input.model;
      const usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
      for await (const chunk of stream) {
        input.onFirstByte();
        if (chunk.model) model = chunk.model;
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) {
          text += delta;
          input.onText(delta);
        }
        if (chunk.usage) {
          usage.inputTokens = chunk.usage.prompt_tokens;
          usage.cachedInputTokens = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
          usage.outputTokens = chunk.usage.completion_tokens;
        }
      }
      return { text, usage, model };
    },
  };
}
