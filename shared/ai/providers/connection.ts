/** What an adapter needs to reach its provider: the key, an optional base URL, the whole-call timeout. */
export interface ProviderConnection {
  /** The key, read at use time (a new version in the secret store takes effect without a restart). */
  apiKey: () => Promise<string>;
  baseUrl?: string;
  /** Bound on a whole call once it has started answering (the first byte has its own, shorter timer). */
  requestTimeoutMs: number;
}
