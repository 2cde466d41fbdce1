import { createTokenCache, type TokenCache } from './installation-token-cache.ts';

const INSTALLATION_TTL_MS = 60 * 60_000;

/**
 * What GitHub App providers share: installation ids per (API, App, repository), so a sync does not
 * look one up each time, and one installation-token cache per (API, App), so links on the same
 * installation reuse one token. One instance per provider registry (built with the context): two
 * contexts in one process, such as two test bridges, share nothing.
 */
export class GithubAppState {
  private readonly installations = new Map<string, { id: number; until: number }>();
  private readonly tokenCaches = new Map<string, TokenCache>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  installation(baseUrl: string, appId: string, repoName: string): number | undefined {
    const known = this.installations.get(key(baseUrl, appId, repoName));
    return known && known.until > this.now() ? known.id : undefined;
  }

  rememberInstallation(baseUrl: string, appId: string, repoName: string, id: number): void {
    this.installations.set(key(baseUrl, appId, repoName), { id, until: this.now() + INSTALLATION_TTL_MS });
  }

  /** After a 401/404 the installation may have changed (the App reinstalled): look it up again. */
  forgetInstallation(baseUrl: string, appId: string, repoName: string): void {
    this.installations.delete(key(baseUrl, appId, repoName));
  }

  tokenCache(baseUrl: string, appId: string): TokenCache {
    const cacheKey = `${baseUrl}|${appId}`;
    let cache = this.tokenCaches.get(cacheKey);
    if (!cache) {
      cache = createTokenCache(this.now);
      this.tokenCaches.set(cacheKey, cache);
    }
    return cache;
  }
}

const key = (baseUrl: string, appId: string, repoName: string) =>
  `${baseUrl}|${appId}|${repoName.toLowerCase()}`;
