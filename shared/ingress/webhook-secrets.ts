import type { SecretStore } from '../ports/index.ts';
import { SECRETS } from '../ports/index.ts';

/** How long the enabled webhook secrets are kept before the store is read again. */
export const WEBHOOK_SECRET_CACHE_MS = 30_000;

/**
 * The enabled webhook secrets, current first, read at use time and cached briefly so a rotation
 * (a new Secret Manager version, or a changed env in local mode) takes effect without a restart.
 * Concurrent callers share one read; a failed read is not cached.
 */
export function createWebhookSecretsReader(
  secrets: SecretStore,
  now: () => Date,
  ttlMs = WEBHOOK_SECRET_CACHE_MS,
): () => Promise<string[]> {
  let cached: { at: number; values: Promise<string[]> } | undefined;
  return () => {
    const t = now().getTime();
    if (cached && t - cached.at < ttlMs && t >= cached.at) return cached.values;
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
