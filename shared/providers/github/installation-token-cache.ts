/**
 * Installation-token cache of one GitHub App (per API base URL; GithubAppState holds one per App), so
 * links on the same installation reuse one token instead of minting one per sync.
 *
 * `@octokit/auth-app` stores `token|createdAt|expiresAt|…` strings; an entry is dropped five minutes
 * before the `expiresAt` GitHub gave (installation tokens live one hour), so a token is never used
 * in its last minutes. auth-app's own default cache keeps tokens 59 minutes whatever their expiry.
 */
export interface TokenCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

const EXPIRY_MARGIN_MS = 5 * 60_000;
const MAX_ENTRIES = 1000;

export function createTokenCache(now: () => number = Date.now): TokenCache {
  const entries = new Map<string, string>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      const expiresAt = Date.parse(value.split('|')[2] ?? '');
      if (!Number.isFinite(expiresAt) || expiresAt - EXPIRY_MARGIN_MS <= now()) {
        entries.delete(key);
        return undefined;
      }
      return value;
    },
    set(key, value) {
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    },
  };
}
