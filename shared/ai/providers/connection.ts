/** What an adapter needs to reach its provider: the key, an optional base URL, the whole-call timeout. */
export interface ProviderConnection {
  /** The key, read at use time (a new version in the secret store takes effect without a restart). */
  apiKey: () => Promise<string>;
  baseUrl?: string;
  /** Bound on a whole call once it has started answering (the first byte has its own, shorter timer). */
  requestTimeoutMs: number;
}

/**
 * A provider's client, built on first use and again whenever the key changes (a new secret
 * version), so a rotation needs no restart; the SDK is imported only when first called.
 */
export function keyedClient<T>(
  apiKey: () => Promise<string>,
  build: (key: string) => Promise<T>,
): () => Promise<T> {
  let cached: { key: string; client: Promise<T> } | undefined;
  return async () => {
    const key = await apiKey();
    if (cached?.key !== key) cached = { key, client: build(key) };
    return cached.client;
  };
}
