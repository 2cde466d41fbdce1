// @ts-check
/** The bridge's API, called with the bearer token the user entered (kept for this tab only). */
const TOKEN_KEY = 'bridge.apiToken';

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the bridge did not answer
   * @param {string} code the API's error code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string} token */
export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Calls `/api/v1…`; a non-2xx answer becomes an ApiError carrying the API's `{error:{message}}`.
 * The answer is what the caller declares it to be (`@type {Link}` from `../api-types.ts`).
 * @template [T=unknown]
 * @param {string} path
 * @param {{ method?: string, body?: unknown, accept?: number[] }} [options] `accept`: non-2xx statuses
 *   whose body is an answer too (the health route answers 503 with the same shape, saying what failed)
 * @returns {Promise<T>}
 */
export async function api(path, { method = 'GET', body, accept = [] } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json', authorization: `Bearer ${getToken() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The bridge did not answer; is the server running?');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok && !accept.includes(res.status)) {
    const message = data?.error?.message ?? `${res.status} ${res.statusText || 'error'}`;
    const retry = res.headers.get('retry-after');
    throw new ApiError(
      res.status,
      data?.error?.code ?? `http_${res.status}`,
      retry ? `${message} (retry after ${retry} s)` : message,
    );
  }
  return data;
}

/**
 * A caught failure as the page reports it: an ApiError (with the API's status) or a script error as
 * it is, anything else thrown by its text.
 * @param {unknown} err
 * @returns {{ status?: number, message: string }}
 */
export const failure = (err) => (err instanceof Error ? err : { message: String(err) });

export const enc = encodeURIComponent;
