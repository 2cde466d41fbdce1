/**
 * How long a provider asked us to wait, in whole seconds (rounded up), from whatever it sent:
 * - `retry-after-ms` (OpenAI), `retry-after` (seconds or an HTTP date), on any of them;
 * - OpenAI's `x-ratelimit-reset-requests` / `-tokens` (durations such as `1s`, `6m0s`, `20ms`);
 * - Anthropic's `anthropic-ratelimit-*-reset` (RFC 3339 times);
 * - Gemini: the google.rpc.RetryInfo `retryDelay` (`"43s"`) in the error body, which @google/genai
 *   hands over as the error's message (it keeps no headers).
 * Undefined when nothing says; a hint is capped at an hour (a wrong clock or header must not park a
 * provider for days).
 */
const MAX_S = 3_600;
const MAX_BODY = 65_536;

export function retryAfterSeconds(err: unknown, nowMs: number, rateLimited: boolean): number | undefined {
  const header = (name: string) => readHeader((err as { headers?: unknown })?.headers, name);
  const ms = Number(header('retry-after-ms'));
  if (header('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return cap(ms / 1000);
  const retryAfter = header('retry-after');
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return cap(Number(retryAfter));
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return cap((at - nowMs) / 1000);
  }
  // The reset headers come with every answer (they describe quota windows): they say something
  // only about a 429.
  if (!rateLimited) return undefined;
  const resets: number[] = [];
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const s = parseDuration(header(name));
    if (s !== undefined) resets.push(s);
  }
  for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const value = header(`anthropic-ratelimit-${kind}-reset`);
    const at = value ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(at)) resets.push((at - nowMs) / 1000);
  }
  // Whichever limit was hit is the one that resets last among those reported.
  if (resets.length > 0) return cap(Math.max(...resets));
  const delay = retryInfoDelay((err as { message?: unknown })?.message);
  return delay === undefined ? undefined : cap(delay);
}

function cap(seconds: number): number {
  return Math.min(MAX_S, Math.max(1, Math.ceil(seconds)));
}

function readHeader(headers: unknown, name: string): string | undefined {
  const value =
    headers instanceof Headers
      ? headers.get(name)
      : typeof headers === 'object' && headers !== null
        ? (headers as Record<string, unknown>)[name]
        : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** `1h2m3.5s`, `6m0s`, `20ms` → seconds. */
function parseDuration(text: string | undefined): number | undefined {
  if (!text || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) return undefined;
  let seconds = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) {
    const value = Number(n);
    seconds += unit === 'h' ? value * 3600 : unit === 'm' ? value * 60 : unit === 's' ? value : value / 1000;
  }
  return seconds;
}

/** The `retryDelay` of a google.rpc.RetryInfo detail in a JSON error body (a protobuf Duration). */
function retryInfoDelay(message: unknown): number | undefined {
  if (typeof message !== 'string' || message.length > MAX_BODY || !message.includes('RetryInfo')) {
    return undefined;
  }
  let body: unknown;
  try {
    // A streamed error's message is "got status: …. {json}" (@google/genai): the JSON starts at the first brace.
    body = JSON.parse(message.slice(Math.max(0, message.indexOf('{'))));
  } catch {
    return undefined;
  }
  const details = (body as { error?: { details?: unknown } })?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const d of details as Array<Record<string, unknown>>) {
    if (d?.['@type'] !== 'type.googleapis.com/google.rpc.RetryInfo') continue;
    const delay = d.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
    if (match) return Number(match[1]);
  }
  return undefined;
}
