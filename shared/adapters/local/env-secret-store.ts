import { AppError } from '../../errors/index.ts';
import { SECRETS, type SecretStore, type SecretValue, type SecretVersion } from '../../ports/index.ts';

/** Environment variables that provide secrets in local mode, and the secret each one fills. */
export const ENV_SECRETS = {
  /** Comma-separated: the current secret first, then previous ones still accepted. */
  GITHUB_WEBHOOK_SECRET: { name: SECRETS.githubWebhook, list: true },
  BRIDGE_ADMIN_TOKEN: { name: SECRETS.adminToken, list: false },
  GITHUB_TOKEN: { name: SECRETS.githubToken, list: false },
  GITHUB_APP_PRIVATE_KEY: { name: SECRETS.githubAppPrivateKey, list: false },
} as const;

const ENV_PREFIX = 'env-';

/**
 * Read-only secrets from the environment. Versions are `env-1` (oldest) … `env-N` (the current
 * value), so for `GITHUB_WEBHOOK_SECRET=new,old` the newest is `env-2` = new.
 */
export class EnvSecretStore implements SecretStore {
  private readonly secrets = new Map<string, { variable: string; values: string[] }>();
  private readonly createTime: string;

  constructor(env: Record<string, string | undefined>, now: () => Date = () => new Date()) {
    this.createTime = now().toISOString();
    for (const [variable, spec] of Object.entries(ENV_SECRETS)) {
      const raw = env[variable];
      if (raw === undefined || raw.trim() === '') continue;
      const values = spec.list
        ? raw
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== '')
        : [variable === 'GITHUB_APP_PRIVATE_KEY' ? unescapePem(raw) : raw.trim()];
      this.secrets.set(spec.name, { variable, values });
    }
  }

  static isEnvVersion(version: string): boolean {
    return version.startsWith(ENV_PREFIX);
  }

  /** Every value of `name`, newest first, with its version id. */
  entries(name: string): SecretValue[] {
    const values = this.secrets.get(name)?.values ?? [];
    return values.map((value, i) => ({ version: `${ENV_PREFIX}${values.length - i}`, value }));
  }

  async accessLatest(name: string): Promise<SecretValue | undefined> {
    return this.entries(name)[0];
  }

  async access(name: string, version: string): Promise<SecretValue | undefined> {
    if (version === 'latest') return this.accessLatest(name);
    return this.entries(name).find((e) => e.version === version);
  }

  async addVersion(name: string): Promise<string> {
    throw this.readOnly(name);
  }

  async listVersions(name: string): Promise<SecretVersion[]> {
    return this.entries(name).map(({ version }) => ({
      version,
      state: 'enabled',
      createTime: this.createTime,
    }));
  }

  async disableVersion(name: string): Promise<void> {
    throw this.readOnly(name);
  }

  async accessEnabled(name: string): Promise<SecretValue[]> {
    return this.entries(name);
  }

  private readOnly(name: string): AppError {
    const variable = this.secrets.get(name)?.variable ?? 'the environment';
    return new AppError('forbidden', `Secret ${name} comes from ${variable} and cannot be changed here`);
  }
}

/** A PEM key pasted into one env line often has literal `\n` escapes instead of line breaks. */
function unescapePem(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes('\n') ? trimmed : trimmed.replaceAll('\\n', '\n');
}
