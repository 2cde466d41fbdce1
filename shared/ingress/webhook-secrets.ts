import type { SecretStore } from '../ports/index.ts';
import { SECRETS } from '../ports/index.ts';

/** How long the enabled webhook secrets are kept before the store is read again. */
export const WEBHOOK_SECRET_CACHE_MS = 30_000;

/**
 * A signature that matches no cached secret makes the handler read the secrets again if the cache is
 * older than this (a rotation may have just added the one GitHub now signs with). Bad signatures
 * therefore cost at most one secret-store read per this long.
 */
export const WEBHOOK_SECRET_RECHECK_MS = 5_000;

/**
 * The enabled webhook secrets, current first, read at use time and cached briefly so a rotation
 * (a new Secret Manager version, or a changed env in local mode) takes effect without a restart.
 * Concurrent callers share one read; a failed read is not cached. `maxAgeMs` asks for values no older
 * than that (the same array comes back while the cache is fresh enough).
 */
export function createWebhookSecretsReader(
  secrets: SecretStore,
  now: () => Date,
  ttlMs = WEBHOOK_SECRET_CACHE_MS,
): (options?: { maxAgeMs?: number }) => Promise<string[]> {
  let cached: { at: number; values: Promise<string[]> } | undefined;
  return (options = {}) => {
    const t = now().getTime();
    const maxAge = Math.min(ttlMs, options.maxAgeMs ?? ttlMs);
    if (cached && t - cached.at < maxAge && t >= cached.at) return cached.values;
    const values = secrets
      .accessEnabled(SECRETS.githubWebhook)
      .then((versions) => versions.map((v) => v.value).filter((v) => v.length > 0));
    const entry = { at: t, values };
    cached = entry;
    values.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return values;
  };
}
