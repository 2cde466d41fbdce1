import { createHash } from 'node:crypto';

/** What an adapter needs to reach its provider: the key, an optional base URL, the whole-call timeout. */
export interface ProviderConnection {
  /** The key, read at use time (a new version in the secret store takes effect without a restart). */
  apiKey: () => Promise<string>;
  baseUrl?: string;
  /** Bound on a whole call once it has started answering (the first byte has its own, shorter timer). */
  requestTimeoutMs: number;
}

export interface KeyedClient<T> {
  /** The client for the current key. */
  client(): Promise<T>;
  /** A fingerprint of the current key (sha256, 16 hex digits): tells keys apart, reveals nothing. */
  keyId(): Promise<string>;
}

/**
 * A provider's client, built on first use and again whenever the key changes (a new secret
 * version), so a rotation needs no restart; the SDK is imported only when first called.
 */
export function keyedClient<T>(
  apiKey: () => Promise<string>,
  build: (key: string) => Promise<T>,
): KeyedClient<T> {
  let cached: { key: string; client: Promise<T> } | undefined;
  let fingerprint: { key: string; id: string } | undefined;
  return {
    async client() {
      const key = await apiKey();
      if (cached?.key !== key) cached = { key, client: build(key) };
      return cached.client;
    },
    async keyId() {
      const key = await apiKey();
      if (fingerprint?.key !== key) {
        fingerprint = { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
      }
      return fingerprint.id;
    },
  };
}
