import { expect } from 'vitest';
import { ADMIN_TOKEN } from '../../support/bridge.ts';

export interface Started {
  /** GitHub's authorize URL the bridge redirected to. */
  authorizeUrl: URL;
  state: string;
  /** `name=value` of the browser-binding cookie, as a browser would send it back. */
  cookie: string;
  setCookie: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, text, body };
}

/** `GET /api/integrations/github/connect` as a signed-in browser: the 302 and its cookie. */
export async function startConnect(bridgeUrl: string, token: string = ADMIN_TOKEN): Promise<Started> {
  const response = await fetch(`${bridgeUrl}/api/integrations/github/connect`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'manual',
  });
  expect(response.status, await response.clone().text()).toBe(302);
  const authorizeUrl = new URL(response.headers.get('location') ?? '');
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    authorizeUrl,
    state: authorizeUrl.searchParams.get('state') ?? '',
    cookie: setCookie.split(';')[0] ?? '',
    setCookie,
  };
}

/** The user approves on (loopback) GitHub: the redirect back carries `code` and `state`. */
export async function approve(started: Started): Promise<{ code: string; state: string; query: string }> {
  const response = await fetch(started.authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get('location') ?? '');
  expect(back.pathname).toBe('/api/integrations/github/callback');
  return {
    code: back.searchParams.get('code') ?? '',
    state: back.searchParams.get('state') ?? '',
    query: back.search,
  };
}

/** The browser's request to the bridge's callback (no bearer; the cookie if given). */
export async function callback(bridgeUrl: string, query: string, cookie?: string): Promise<Answer> {
  const response = await fetch(`${bridgeUrl}/api/integrations/github/callback${query}`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  return answer(response);
}

/** The whole dance: connect → approve → callback with the cookie. */
export async function connectAccount(bridgeUrl: string, token: string = ADMIN_TOKEN) {
  const started = await startConnect(bridgeUrl, token);
  const approved = await approve(started);
  const done = await callback(bridgeUrl, approved.query, started.cookie);
  return { started, approved, done };
}

export function errorOf(res: Answer): { code: string; message: string } {
  const error = (res.body as { error?: { code: string; message: string } } | undefined)?.error;
  expect(error, res.text).toBeDefined();
  return error as { code: string; message: string };
}
