import type { z } from 'zod';
import { AppError } from '../errors/index.ts';
import { SETTINGS, type SettingName } from './settings.ts';

type Settings = typeof SETTINGS;
/** Each address by its role, defaults applied (see the BRIDGE_*_URL settings). */
export interface Addresses {
  /** Status API and dashboard (OpenAPI servers, OAuth callback base). */
  api: string;
  /** Where Drive channels deliver (the full URL). */
  driveNotifications: string;
  /** Where GitHub delivers webhooks (the full URL). */
  githubWebhook: string;
}

export type Config = { [K in SettingName]: z.output<Settings[K]['schema']> } & { urls: Addresses };

/**
 * Reads and validates every setting from `env` (pass `process.env` at the edge only).
 * Throws one `config_invalid` error that names each bad variable and what a valid value looks like.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS)) {
    const raw = env[name];
    const parsed = (setting.schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
    if (parsed.success) out[name] = parsed.data;
    else {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      // Never echo a secret's value back.
      const shown = 'secret' in setting && setting.secret ? '' : ` (got ${JSON.stringify(raw)})`;
      problems.push(`${name}: ${why}${shown}. ${setting.doc}`);
    }
  }
  if (problems.length > 0) {
    throw new AppError('config_invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = out as Config;
  if (config.GITHUB_APP_ID && !config.GITHUB_APP_PRIVATE_KEY) {
    throw new AppError(
      'config_invalid',
      'Invalid configuration:\n  GITHUB_APP_PRIVATE_KEY: required when GITHUB_APP_ID is set (the App private key in PEM form).',
    );
  }
  if (config.BRIDGE_BACKEND === 'gcp' && !config.GOOGLE_CLOUD_PROJECT) {
    throw new AppError(
      'config_invalid',
      'Invalid configuration:\n  GOOGLE_CLOUD_PROJECT: required when BRIDGE_BACKEND=gcp (your project id, e.g. my-project-123).',
    );
  }
  const base = config.BRIDGE_PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  config.urls = {
    api: config.BRIDGE_API_URL ?? base,
    driveNotifications: config.BRIDGE_DRIVE_NOTIFICATIONS_URL ?? `${base}/drive/notifications`,
    githubWebhook: config.BRIDGE_GITHUB_WEBHOOK_URL ?? `${base}/github/webhook`,
  };
  return config;
}

/** Settings as rows for README's configuration table. */
export function settingsTable(): string {
  const rows = Object.entries(SETTINGS).map(([name, s]) => {
    const def = (s.schema as z.ZodType).safeParse(undefined);
    const shown = def.success && def.data !== undefined ? `\`${String(def.data)}\`` : '';
    return `| \`${name}\` | ${shown} | ${s.doc.replaceAll('|', '\\|')} |`;
  });
  return ['| variable | default | what |', '|---|---|---|', ...rows].join('\n');
}
