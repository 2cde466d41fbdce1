import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  errorBody,
  jsonBody,
  keyOf,
  type LoopbackAnswer,
  type LoopbackProvider,
  modelList,
  refusedKeyBody,
  sseEvents,
} from './wire-formats.ts';

export type { LoopbackAnswer, LoopbackProvider } from './wire-formats.ts';

/** What the next request(s) to one provider get instead of a normal answer. */
export interface AiFault {
  /** Answer with this status (the provider's error body). */
  status?: number;
  /** With `status`: a `retry-after` header (seconds). */
  retryAfterSeconds?: number;
  /** With `status`: more response headers (x-ratelimit-reset-requests, anthropic-ratelimit-…). */
  headers?: Record<string, string>;
  /** Gemini, with `status`: the google.rpc.RetryInfo `retryDelay` of the error body ("43s"). */
  retryDelay?: string;
  /** Wait this long before the response headers (a slow first byte); alone: a slow normal answer. */
  delayMs?: number;
  /** Cut the connection before answering. */
  reset?: boolean;
  /** Stream the first event, then cut the connection. */
  resetMidStream?: boolean;
  /** Send the stream's headers at once, then wait this long before its first event. */
  stallAfterHeadersMs?: number;
  /** How many requests it applies to (default 1; Infinity for all). */
  times?: number;
}

export interface RecordedAiRequest {
  provider: LoopbackProvider;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface LoopbackAi {
  url: string;
  /** Requests to the list-models routes (GET /v1/models, /v1beta/models): the key checks. */
  modelLists: RecordedAiRequest[];
  /** Refuse this key on every route as the API does (401; Gemini: 400 API_KEY_INVALID). */
  refuseKey(provider: LoopbackProvider, key: string): void;
  /** Hold the list-models answers of one provider this long (a key check that cannot finish). */
  slowModelList(provider: LoopbackProvider, ms: number): void;
  /** Base URLs as each client wants them (OPENAI_BASE_URL, ANTHROPIC_BASE_URL, GEMINI_BASE_URL). */
  baseUrls: Record<LoopbackProvider, string>;
  requests: RecordedAiRequest[];
  fault(provider: LoopbackProvider, fault: AiFault): void;
  /** Drops the faults still waiting for one provider's requests. */
  clearFaults(provider: LoopbackProvider): void;
  /** The normal answer of one provider (text must be the JSON the test's schema accepts). */
  answer(provider: LoopbackProvider, answer: Partial<LoopbackAnswer>): void;
  close(): Promise<void>;
}

const DEFAULT_ANSWER: LoopbackAnswer = {
  text: '{"summary":"ok"}',
  model: 'loopback-model',
  inputTokens: 1200,
  cachedInputTokens: 200,
  outputTokens: 300,
};

/**
 * One server for the three APIs: /v1/chat/completions, /v1/messages,
 * /v1(beta)/models/{m}:(stream)generateContent, and their list-models routes (GET /v1/models for
 * all three, /v1beta/models for Gemini too; told apart by the headers each client sends).
 */
export async function startLoopbackAi(): Promise<LoopbackAi> {
  const faults: Record<LoopbackProvider, Array<AiFault & { left: number }>> = {
    openai: [],
    anthropic: [],
    gemini: [],
  };
  const answers: Record<LoopbackProvider, LoopbackAnswer> = {
    openai: { ...DEFAULT_ANSWER, model: 'gpt-4.1-mini' },
    anthropic: { ...DEFAULT_ANSWER, model: 'claude-haiku-4-5' },
    gemini: { ...DEFAULT_ANSWER, model: 'gemini-2.5-flash' },
  };
  const requests: RecordedAiRequest[] = [];
  const modelLists: RecordedAiRequest[] = [];
  const refused: Record<LoopbackProvider, Set<string>> = {
    openai: new Set(),
    anthropic: new Set(),
    gemini: new Set(),
  };
  const slowLists: Partial<Record<LoopbackProvider, number>> = {};
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const provider: LoopbackProvider | undefined = path.endsWith('/chat/completions')
      ? 'openai'
      : path.endsWith('/messages')
        ? 'anthropic'
        : /:(stream)?generateContent$/i.test(path)
          ? 'gemini'
          : undefined;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    // The three list routes share a path: the client's own headers tell them apart.
    const lister: LoopbackProvider | undefined =
      req.method === 'GET' && /^\/v1(beta)?\/models$/.test(path)
        ? req.headers['x-goog-api-key']
          ? 'gemini'
          : req.headers['anthropic-version']
            ? 'anthropic'
            : 'openai'
        : undefined;
    const who = provider ?? lister;
    if (who && refused[who].has(keyOf(who, req.headers))) {
      (lister ? modelLists : requests).push({ provider: who, path, headers: req.headers, body: {} });
      const [status, body] = refusedKeyBody(who);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    if (lister) {
      modelLists.push({ provider: lister, path, headers: req.headers, body: {} });
      if (slowLists[lister]) await wait(slowLists[lister]);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(modelList(lister)));
      return;
    }
    if (!provider) {
      res.writeHead(404).end();
      return;
    }
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    requests.push({ provider, path, headers: req.headers, body });
    const fault = faults[provider].find((f) => f.left > 0);
    if (fault) fault.left -= 1;
    if (fault?.delayMs) await wait(fault.delayMs);
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      Object.assign(headers, fault.headers);
      res
        .writeHead(fault.status, headers)
        .end(JSON.stringify(errorBody(provider, fault.status, fault.retryDelay)));
      return;
    }
    const answer = answers[provider];
    const streaming = provider === 'gemini' ? path.includes(':streamGenerateContent') : body.stream === true;
    if (!streaming) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(jsonBody(provider, answer)));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (fault?.stallAfterHeadersMs) {
      res.flushHeaders();
      await wait(fault.stallAfterHeadersMs);
    }
    const events = sseEvents(provider, answer);
    for (const [i, e] of events.entries()) {
      res.write(e);
      if (fault?.resetMidStream && i === 1) {
        await wait(5);
        req.socket.destroy();
        return;
      }
    }
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrls: { openai: `${url}/v1`, anthropic: url, gemini: url },
    requests,
    modelLists,
    refuseKey(provider, key) {
      refused[provider].add(key);
    },
    slowModelList(provider, ms) {
      slowLists[provider] = ms;
    },
    fault(provider, fault) {
      faults[provider].push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults(provider) {
      faults[provider].length = 0;
    },
    answer(provider, answer) {
      answers[provider] = { ...answers[provider], ...answer };
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
