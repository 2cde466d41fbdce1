/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
  unavailable: 6,
} as const;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  get exitCode(): number {
    // The request itself was wrong (bad field, body too big): like a usage error, retrying will not help.
    if (this.status === 400 || this.status === 413 || this.status === 415) return EXIT.usage;
    if (this.status === 401 || this.status === 403) return EXIT.auth;
    if (this.status === 404) return EXIT.notFound;
    if (this.status === 409 || this.status === 412) return EXIT.conflict;
    if (this.status === 429 || this.status >= 500) return EXIT.unavailable;
    return EXIT.failure;
  }
}

export interface ApiClient {
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Talks to the bridge API with a bearer token; errors carry the API's `{error:{code,message}}`. */
export function createApiClient(
  baseUrl: string,
  token: string | undefined,
  fetchImpl: typeof fetch = fetch,
): ApiClient {
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetchImpl(new URL(path, baseUrl), {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (err) {
        // The origin only: a URL may carry credentials (http://user:pass@host).
        throw new ApiError(
          503,
          'unreachable',
          `Cannot reach the bridge at ${new URL(baseUrl).origin} (${(err as Error).message}); is it running?`,
        );
      }
      const text = await response.text();
      const parsed = text ? safeJson(text) : undefined;
      if (!response.ok) {
        const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new ApiError(
          response.status,
          error?.code ?? 'http_error',
          error?.message ?? `HTTP ${response.status}`,
        );
      }
      return parsed as T;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
