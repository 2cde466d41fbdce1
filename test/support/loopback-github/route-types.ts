import type { LoopbackRepo } from './loopback-repo.ts';

/** An error response in GitHub's shape: `{ message, documentation_url, status }`. */
export class GithubHttpError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.extra = extra;
    this.headers = headers;
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(this.status),
      ...this.extra,
    };
  }
}

export interface RouteRequest {
  /** Base URL of the server (what clients use as `baseUrl`). */
  base: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** The repository for `/repos/{owner}/{repo}/…` routes (already checked to exist). */
  repo: LoopbackRepo;
  now: () => Date;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI path template; also the request's route in the log. */
  template: string;
  handle: (req: RouteRequest) => RouteResponse;
}

/** Reads a JSON object body field with a type check; a wrong type is GitHub's 422. */
export function bodyOf(req: RouteRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new GithubHttpError(400, 'Problems parsing JSON');
  }
  return req.body as Record<string, unknown>;
}

export const unprocessable = (message: string, extra: Record<string, unknown> = {}) =>
  new GithubHttpError(422, message, extra);

export const notFound = () => new GithubHttpError(404, 'Not Found');
