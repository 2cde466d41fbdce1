import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { ADMIN_TOKEN, grantLocalFolder, type TestBridge } from '../support/bridge.ts';

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** One request with full control over headers and the raw body bytes (hostile inputs). */
export async function send(
  url: string,
  method: string,
  path: string,
  options: { token?: string | null; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...options.headers },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : new Uint8Array(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, text, body };
}

/** Asserts the `{"error":{"code","message"}}` shape with this status and code; returns the message. */
export function expectError(res: RawAnswer, status: number, code: string): string {
  expect(res.status, res.text.slice(0, 500)).toBe(status);
  const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(error?.code).toBe(code);
  expect(typeof error?.message).toBe('string');
  return error?.message as string;
}

export const signature = (secret: string, body: string | Buffer, algorithm = 'sha256') =>
  `${algorithm}=${createHmac(algorithm, secret).update(body).digest('hex')}`;

let deliveries = 0;
export function deliveryId(): string {
  deliveries += 1;
  return `sec-${process.pid}-${deliveries}-${Date.now()}`;
}

/** A signed `POST /github/webhook`. */
export function webhook(
  bridge: Pick<TestBridge, 'url'>,
  body: string | Buffer,
  options: { secret: string; event?: string; id?: string; headers?: Record<string, string> },
): Promise<RawAnswer> {
  return send(bridge.url, 'POST', '/github/webhook', {
    token: null,
    headers: {
      'content-type': 'application/json',
      'x-github-event': options.event ?? 'push',
      'x-github-delivery': options.id ?? deliveryId(),
      'x-hub-signature-256': signature(options.secret, body),
      ...options.headers,
    },
    body,
  });
}

export async function tenantKey(bridge: TestBridge, tenant: string): Promise<{ id: string; key: string }> {
  const res = await bridge.api<{ id: string; key: string }>('POST', '/api/v1/keys', { tenant });
  expect(res.status).toBe(201);
  await grantLocalFolder(bridge, tenant);
  return res.body;
}

export async function expectAlive(bridge: Pick<TestBridge, 'url'>): Promise<void> {
  const res = await fetch(`${bridge.url}/healthz`);
  expect(res.status).toBe(200);
}

/** Nothing reached Object.prototype (or Array's / Function's). */
export function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'bridgePolluted']) {
    expect(probe[key], `Object.prototype.${key}`).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>)[key]).toBeUndefined();
    expect((Object.create(null) as Record<string, unknown>)[key]).toBeUndefined();
  }
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
}

/** `{"a":[[[…]]]}` nested `depth` levels. */
export const deepJson = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
export const deepObjectJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
