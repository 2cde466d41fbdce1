/** What an adapter needs to reach its provider: the key, an optional base URL, the whole-call timeout. */
export interface ProviderConnection {
  apiKey: string;
  baseUrl?: string;
  /** Bound on a whole call once it has started answering (the first byte has its own, shorter timer). */
  requestTimeoutMs: number;
}
