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
  return parsed as Record<string, unknown>;
}
