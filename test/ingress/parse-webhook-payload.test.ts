import { describe, expect, it } from 'vitest';
import {
  MAX_PAYLOAD_DEPTH,
  parseWebhookPayload,
  webhookContentType,
} from '../../shared/ingress/parse-webhook-payload.ts';

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

  const nested = (depth: number) => `${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}`;

  it.each([
    ['exactly at the limit', `{"a":${nested(MAX_PAYLOAD_DEPTH)}}`, true],
    ['one level past it', `{"a":${nested(MAX_PAYLOAD_DEPTH + 1)}}`, false],
    ['shallow, with thousands of brackets', `{"a":[${Array(3000).fill('{"b":[1]}').join(',')}]}`, true],
    ['shallow, with brackets inside strings', JSON.stringify({ s: '{['.repeat(5000) }), true],
    [
      'past the limit after many shallow brackets',
      `{"a":[${Array(300).fill('[]').join(',')}],"b":${nested(MAX_PAYLOAD_DEPTH + 1)}}`,
      false,
    ],
  ])('nesting %s: accepted = %s', (_name, text, accepted) => {
    const parse = () => parseWebhookPayload(text, 'application/json');
    if (accepted) expect(parse()).toBeTypeOf('object');
    else expect(parse).toThrow(/nested deeper than 200 levels/);
  });
});
