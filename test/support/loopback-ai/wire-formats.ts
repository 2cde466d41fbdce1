/**
 * Each provider's real wire format, as its API reference documents it: the JSON answer and the SSE
 * stream of OpenAI Chat Completions, Anthropic Messages and Gemini generateContent, with usage.
 */
export type LoopbackProvider = 'openai' | 'anthropic' | 'gemini';

export interface LoopbackAnswer {
  text: string;
  model: string;
  inputTokens: number;
  cachedInputTokens: number;
  /** Anthropic: input written to the cache (cache_creation_input_tokens), of it for an hour. */
  cacheWriteTokens?: number;
  cacheWrite1hTokens?: number;
  outputTokens: number;
}

/** The answer split into chunks, as a streaming server sends it. */
const chunks = (text: string): string[] => {
  const size = Math.max(1, Math.ceil(text.length / 3));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
};

export function jsonBody(provider: LoopbackProvider, a: LoopbackAnswer): unknown {
  if (provider === 'openai') {
    return {
      id: 'chatcmpl-loop',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: a.model,
      choices: [{ index: 0, message: { role: 'assistant', content: a.text }, finish_reason: 'stop' }],
      usage: openAiUsage(a),
    };
  }
  if (provider === 'anthropic') {
    return {
      id: 'msg_loop',
      type: 'message',
      role: 'assistant',
      model: a.model,
      content: [{ type: 'text', text: a.text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: anthropicUsage(a, a.outputTokens),
    };
  }
  return geminiChunk(a, a.text, true);
}

/** SSE events (already framed) for a streamed answer. */
export function sseEvents(provider: LoopbackProvider, a: LoopbackAnswer): string[] {
  const parts = chunks(a.text);
  if (provider === 'openai') {
    const base = {
      id: 'chatcmpl-loop',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: a.model,
    };
    return [
      ...parts.map((content, i) =>
        data({
          ...base,
          choices: [
            { index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null },
          ],
        }),
      ),
      data({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
      data({ ...base, choices: [], usage: openAiUsage(a) }),
      'data: [DONE]\n\n',
    ];
  }
  if (provider === 'anthropic') {
    const message = {
      id: 'msg_loop',
      type: 'message',
      role: 'assistant',
      model: a.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
    };
    return [
      event('message_start', { type: 'message_start', message: { ...message, usage: anthropicUsage(a, 1) } }),
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
      ...parts.map((text) =>
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text },
        }),
      ),
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
      event('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: a.outputTokens },
      }),
      event('message_stop', { type: 'message_stop' }),
    ];
  }
  return parts.map((text, i) => data(geminiChunk(a, text, i === parts.length - 1)));
}

function openAiUsage(a: LoopbackAnswer) {
  return {
    prompt_tokens: a.inputTokens,
    completion_tokens: a.outputTokens,
    total_tokens: a.inputTokens + a.outputTokens,
    prompt_tokens_details: { cached_tokens: a.cachedInputTokens },
  };
}

/** Anthropic reports uncached input apart from cache reads and writes. */
function anthropicUsage(a: LoopbackAnswer, outputTokens: number) {
  const writes = a.cacheWriteTokens ?? 0;
  const hour = a.cacheWrite1hTokens ?? 0;
  return {
    input_tokens: a.inputTokens - a.cachedInputTokens - writes,
    cache_read_input_tokens: a.cachedInputTokens,
    cache_creation_input_tokens: writes,
    cache_creation: { ephemeral_5m_input_tokens: writes - hour, ephemeral_1h_input_tokens: hour },
    output_tokens: outputTokens,
  };
}

function geminiChunk(a: LoopbackAnswer, text: string, last: boolean) {
  return {
    candidates: [
      { content: { role: 'model', parts: [{ text }] }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) },
    ],
    modelVersion: a.model,
    ...(last
      ? {
          usageMetadata: {
            promptTokenCount: a.inputTokens,
            cachedContentTokenCount: a.cachedInputTokens,
            candidatesTokenCount: a.outputTokens,
            totalTokenCount: a.inputTokens + a.outputTokens,
          },
        }
      : {}),
  };
}

const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const event = (name: string, value: unknown) => `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;

/**
 * The error body each API sends with a failure status. Gemini's 429 carries google.rpc details:
 * the quota that was hit, a help link, and (when the API says how long to wait) RetryInfo.
 */
export function errorBody(provider: LoopbackProvider, status: number, retryDelay?: string): unknown {
  if (provider === 'openai')
    return status === 429
      ? {
          error: {
            message: 'Rate limit reached for gpt-4.1-mini (loopback)',
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        }
      : { error: { message: `loopback ${status}`, type: 'server_error', code: null } };
  if (provider === 'anthropic')
    return {
      type: 'error',
      error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message: `loopback ${status}` },
    };
  const details =
    status === 429
      ? [
          {
            '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
            violations: [
              {
                quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
                quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
                quotaDimensions: { location: 'global', model: 'gemini-2.5-flash' },
                quotaValue: '10',
              },
            ],
          },
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [
              {
                description: 'Learn more about Gemini API quotas',
                url: 'https://ai.google.dev/gemini-api/docs/rate-limits',
              },
            ],
          },
          ...(retryDelay ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] : []),
        ]
      : undefined;
  return {
    error: {
      code: status,
      message: `loopback ${status}`,
      status: status === 429 ? 'RESOURCE_EXHAUSTED' : 'INTERNAL',
      ...(details ? { details } : {}),
    },
  };
}

/** The key a request carries, as each client sends it. */
export function keyOf(
  provider: LoopbackProvider,
  headers: Record<string, string | string[] | undefined>,
): string {
  const bearer = String(headers.authorization ?? '').replace(/^Bearer /, '');
  // @anthropic-ai/sdk sends its key as x-api-key or (newer versions) as a bearer token.
  const value =
    provider === 'gemini'
      ? headers['x-goog-api-key']
      : provider === 'anthropic'
        ? (headers['x-api-key'] ?? bearer)
        : bearer;
  return typeof value === 'string' ? value : '';
}

/** What each API answers to a refused key: 401, and Gemini 400 INVALID_ARGUMENT with API_KEY_INVALID. */
export function refusedKeyBody(provider: LoopbackProvider): [number, unknown] {
  if (provider === 'openai')
    return [
      401,
      {
        error: {
          message:
            'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    ];
  if (provider === 'anthropic')
    return [401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }];
  return [
    400,
    {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
        ],
      },
    },
  ];
}

/** The first page of each API's list-models answer. */
export function modelList(provider: LoopbackProvider): unknown {
  if (provider === 'openai')
    return {
      object: 'list',
      data: [{ id: 'gpt-4.1-mini', object: 'model', created: 1_744_316_542, owned_by: 'system' }],
    };
  if (provider === 'anthropic')
    return {
      data: [
        {
          type: 'model',
          id: 'claude-haiku-4-5-20251001',
          display_name: 'Claude Haiku 4.5',
          created_at: '2025-10-15T00:00:00Z',
        },
      ],
      has_more: false,
      first_id: 'claude-haiku-4-5-20251001',
      last_id: 'claude-haiku-4-5-20251001',
    };
  return {
    models: [
      {
        name: 'models/gemini-2.5-flash',
        version: '001',
        displayName: 'Gemini 2.5 Flash',
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ['generateContent', 'countTokens'],
      },
    ],
  };
}
