import type { AiCallInput, AiCallResult, AiProvider } from '../../ports/index.ts';
import { keyedClient, type ProviderConnection } from './connection.ts';

/** Gemini generateContent (the Gemini API, not Vertex), streamed over SSE. */
export function geminiProvider(connection: ProviderConnection): AiProvider {
  const load = keyedClient(connection.apiKey, (apiKey) =>
    import('@google/genai').then(
      ({ GoogleGenAI }) =>
        new GoogleGenAI({
          apiKey,
          httpOptions: {
            ...(connection.baseUrl ? { baseUrl: connection.baseUrl } : {}),
            timeout: connection.requestTimeoutMs,
            // One attempt: no retries inside the client.
            retryOptions: { attempts: 1 },
          },
        }),
    ),
  );
  return {
    id: 'gemini',
    async prepare() {
      await load.client();
    },
    keyId: () => load.keyId(),
    async checkKey(signal: AbortSignal) {
      const genai = await load.client();
      await genai.models.list({ config: { pageSize: 1, abortSignal: signal } });
    },
    async complete(input: AiCallInput): Promise<AiCallResult> {
      const genai = await load.client();
      const stream = await genai.models.generateContentStream({
        model: input.model,
        contents: input.prompt,
        config: {
          systemInstruction: input.system,
          maxOutputTokens: input.maxOutputTokens,
          abortSignal: input.signal,
          ...(input.jsonSchema
            ? { responseMimeType: 'application/json', responseJsonSchema: input.jsonSchema.schema }
            : {}),
        },
      });
      let text = '';
      let model = input.model;
      const usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
      for await (const chunk of stream) {
        input.onFirstByte();
        if (chunk.modelVersion) model = chunk.modelVersion;
        const delta = chunk.text;
        if (delta) {
          text += delta;
          input.onText(delta);
        }
        const u = chunk.usageMetadata;
        if (u) {
          usage.inputTokens = u.promptTokenCount ?? 0;
          usage.cachedInputTokens = u.cachedContentTokenCount ?? 0;
          // Thinking tokens are billed as output.
          usage.outputTokens = (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0);
        }
      }
      return { text, usage, model };
    },
  };
}
