import { CALLBACK_PATH } from './oauth-client.ts';
import { STATE_TTL_MS } from './oauth-state.ts';

/** Binds a connect flow to the browser that started it (RFC 6749 §10.12: CSRF on the redirect URI). */
export const BROWSER_COOKIE = 'bridge_github_oauth';

/**
 * Scoped to the callback path only; SameSite=Lax still sends it on GitHub's top-level redirect back.
 * `Secure` whenever the API's address (where the callback lands) is https.
 */
export function browserCookie(nonce: string, apiUrl: string): string {
  const secure = apiUrl.startsWith('https:') ? '; Secure' : '';
  const maxAge = Math.floor(STATE_TTL_MS / 1000);
  return `${BROWSER_COOKIE}=${nonce}; Path=${CALLBACK_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

export function clearedBrowserCookie(apiUrl: string): string {
  const secure = apiUrl.startsWith('https:') ? '; Secure' : '';
  return `${BROWSER_COOKIE}=; Path=${CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`;
}

export function readBrowserCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === BROWSER_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
