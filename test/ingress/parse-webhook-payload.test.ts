import { describe, expect, it } from 'vitest';
import { parseWebhookPayload, webhookContentType } from '../../shared/ingress/parse-webhook-payload.ts';

describe('webhookContentType', () => {
  it.each([
    ['application/json', 'application/json'],
    ['Application/JSON; charset=utf-8', 'application/json'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['text/plain', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, expected) => {
    expect(webhookContentType(header)).toBe(expected);
  });
});

describe('parseWebhookPayload', () => {
  it('parses JSON and form-encoded payloads alike', () => {
    const json = '{"action":"opened","n":1}';
    expect(parseWebhookPayload(json, 'application/json')).toEqual({ action: 'opened', n: 1 });
    const form = new URLSearchParams({ payload: json }).toString();
    expect(parseWebhookPayload(form, 'application/x-www-form-urlencoded')).toEqual({
      action: 'opened',
      n: 1,
    });
  });

  it.each([
    ['truncated JSON', '{"action":"ope', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    ['a JSON string', '"x"', 'application/json'],
    ['form without payload', 'other=1', 'application/x-www-form-urlencoded'],
    ['form with invalid JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
  ] as const)('rejects %s with bad_request', (_name, text, type) => {
    expect(() => parseWebhookPayload(text, type)).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});
