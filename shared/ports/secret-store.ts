/** Secret store port (Secret Manager's model): named secrets with numbered versions. */
export interface SecretVersion {
  /** "1", "2", ... increasing. */
  version: string;
  state: 'enabled' | 'disabled' | 'destroyed';
  createTime: string;
}

export interface SecretValue {
  version: string;
  value: string;
}

export interface SecretStore {
  /** Latest enabled version, or undefined when the secret or any enabled version is missing. */
  accessLatest(name: string): Promise<SecretValue | undefined>;
  access(name: string, version: string): Promise<SecretValue | undefined>;
  /** Adds a version (creating the secret if needed) and returns its version id. */
  addVersion(name: string, value: string): Promise<string>;
  /** Newest first. */
  listVersions(name: string): Promise<SecretVersion[]>;
  disableVersion(name: string, version: string): Promise<void>;
  /**
   * Enabled values newest first (e.g. current and previous webhook secrets during a rotation).
   * `fresh` reads around any cache the store keeps (another process may have just added a version);
   * the caller rate-limits such reads.
   */
  accessEnabled(name: string, options?: { fresh?: boolean }): Promise<SecretValue[]>;
}

/** Well-known secret names. */
export const SECRETS = {
  githubWebhook: 'github-webhook-secret',
  adminToken: 'bridge-admin-token',
  githubToken: 'github-token',
  githubAppPrivateKey: 'github-app-private-key',
  dataKey: 'bridge-data-key',
  /** AI provider keys: read at use time when the setting (OPENAI_API_KEY…) is not set. */
  openaiApiKey: 'openai-api-key',
  anthropicApiKey: 'anthropic-api-key',
  geminiApiKey: 'gemini-api-key',
} as const;
