import { type MainIo, main } from '../../shared/cli/main.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `bridge <argv>` in-process with captured output; `io` may inject fetch, sleep and a clock. */
export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
  io: Omit<MainIo, 'out' | 'err'> = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(argv, env, {
    ...io,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return {
    code,
    out,
    err,
    json: <T>() => JSON.parse(out) as T,
  };
}

export interface Exchange {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake fetch answering from `answer`; records every request. */
export function fakeFetch(answer: (req: Exchange) => { status: number; body?: unknown } | Error): {
  fetch: typeof fetch;
  requests: Exchange[];
} {
  const requests: Exchange[] = [];
  const fetchImpl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const req: Exchange = {
      method: init.method ?? 'GET',
      url: new URL(String(input)),
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(req);
    const result = answer(req);
    if (result instanceof Error) throw result;
    return new Response(result.body === undefined ? null : JSON.stringify(result.body), {
      status: result.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, requests };
}
