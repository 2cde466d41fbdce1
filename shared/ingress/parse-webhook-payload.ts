import { AppError } from '../errors/index.ts';

/** The two content types GitHub offers for a webhook. */
export const WEBHOOK_CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
export type WebhookContentType = (typeof WEBHOOK_CONTENT_TYPES)[number];

/** The media type of a Content-Type header (parameters such as charset dropped), or undefined. */
export function webhookContentType(header: string | undefined): WebhookContentType | undefined {
  const media = (header ?? '').split(';')[0]?.trim().toLowerCase();
  return WEBHOOK_CONTENT_TYPES.find((t) => t === media);
}

/**
 * The JSON payload of an already verified body. Form-encoded deliveries carry it in the `payload`
 * field (the signature covers the raw form body, so verification happens before this).
 */
export function parseWebhookPayload(text: string, contentType: WebhookContentType): Record<string, unknown> {
  let json = text;
  if (contentType === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null)
      throw new AppError('bad_request', 'Form-encoded webhook body has no "payload" field');
    json = payload;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new AppError('bad_request', 'Webhook body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AppError('bad_request', 'Webhook payload must be a JSON object');
  }
  if (openingBracketsExceed(json, MAX_PAYLOAD_DEPTH) && nestedDeeperThan(parsed, MAX_PAYLOAD_DEPTH)) {
    throw new AppError('bad_request', `Webhook payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * GitHub's payloads nest about ten levels. JSON.parse copes with any depth, but publishing
 * (JSON.stringify) overflows the stack somewhere past a few thousand, which answered 503 and so
 * invited endless redeliveries of a payload that can never be queued: refuse it as a 400 instead.
 */
export const MAX_PAYLOAD_DEPTH = 200;

/**
 * Nesting needs one opening bracket per level, so a text with at most `max` of them (brackets inside
 * strings only add to the count) cannot be nested deeper: the walk below is skipped for almost every
 * real payload. indexOf scans natively, far faster than walking the parsed tree.
 */
function openingBracketsExceed(text: string, max: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++count > max) return true;
    }
  }
  return false;
}

function nestedDeeperThan(value: unknown, max: number): boolean {
  // Iterative: the input may be nested far deeper than the call stack allows.
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; depth: number };
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth > max) return true;
    for (const child of Object.values(item.value)) stack.push({ value: child, depth: item.depth + 1 });
  }
  return false;
}
