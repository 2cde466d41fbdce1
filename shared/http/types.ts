/**
 * The plain request/response shape every handler works on, so Cloud Run entry points, the local
 * one-process server and tests drive the same code (as octokit/webhooks.js keeps its core
 * independent of any HTTP framework).
 */
export interface HttpRequest {
  method: string;
  /** Path without the query string, e.g. `/api/v1/links`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /**
   * The address the request came from, as far as this deployment can vouch for it: the socket's peer
   * locally, the entry the platform appended to X-Forwarded-For on Cloud Run (see node-adapter.ts).
   * Undefined when unknown (a request built in a test).
   */
  clientAddress?: string | undefined;
  /**
   * The raw body bytes. Rejects with AppError `payload_too_large` as soon as more than `limit`
   * bytes arrive, without buffering the rest. The first call's options hold for later calls.
   */
  body(limit: number, options?: BodyOptions): Promise<Buffer>;
}

export interface BodyOptions {
  /**
   * Called before bytes are held: once with the declared Content-Length, else with each chunk as it
   * arrives (a buffered body: with its length). Throwing refuses the body with that error.
   */
  reserve?: (bytes: number) => void;
  /** Rejects with `request_timeout` (408) unless the whole body has arrived within this time. */
  deadlineMs?: number;
  /** Aborting rejects with the signal's reason (an AppError). */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse>;
