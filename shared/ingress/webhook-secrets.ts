import type { SecretStore } from '../ports/index.ts';
import { SECRETS } from '../ports/index.ts';

/** How long the enabled webhook secrets are kept before the store is read again. */
export const WEBHOOK_SECRET_CACHE_MS = 30_000;

/**
 * A signature that matches no cached secret makes the handler read the secrets again, around every
 * cache (a rotation done by another process may have just added the one GitHub now signs with), unless
 * such a read started less than this long ago. A flood of bad signatures therefore costs at most one
 * secret-store read per this long and instance, and a rotation is seen by the first delivery after it.
 */
export const WEBHOOK_SECRET_RECHECK_MS = 5_000;

export interface WebhookSecretsReader {
  /** The enabled webhook secrets, current first, cached for the TTL. */
  (): Promise<string[]>;
  /** After a mismatch: read around every cache, at most once per recheck window (else the cached values). */
  recheck(): Promise<string[]>;
}

/**
 * The enabled webhook secrets, current first, read at use time and cached briefly so a rotation
 * (a new Secret Manager version, or a changed env in local mode) takes effect without a restart.
 * Concurrent callers share one read; a failed read is not cached.
 */
export function createWebhookSecretsReader(
  secrets: SecretStore,
  now: () => Date,
  ttlMs = WEBHOOK_SECRET_CACHE_MS,
  recheckMs = WEBHOOK_SECRET_RECHECK_MS,
): WebhookSecretsReader {
  let cached: { at: number; values: Promise<string[]> } | undefined;
  /** When the last read around the caches started (a failed one counts: Secret Manager may be struggling). */
  let lastFresh: number | undefined;
  const read = (t: number, fresh: boolean) => {
    const values = secrets
      .accessEnabled(SECRETS.githubWebhook, fresh ? { fresh } : undefined)
      .then((versions) => versions.map((v) => v.value).filter((v) => v.length > 0));
    const entry = { at: t, values };
    cached = entry;
    values.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return values;
  };
  const within = (since: number | undefined, t: number, ms: number) =>
    since !== undefined && t >= since && t - since < ms;
  const reader = () => {
    const t = now().getTime();
    return cached && within(cached.at, t, ttlMs) ? cached.values : read(t, false);
  };
  reader.recheck = () => {
    const t = now().getTime();
    if (within(lastFresh, t, recheckMs)) return cached?.values ?? read(t, false);
    lastFresh = t;
    return read(t, true);
  };
  return reader;
}
