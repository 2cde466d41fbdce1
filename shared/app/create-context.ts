import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import type { AppContext } from './context.ts';

export interface ContextOverrides {
  logger?: Logger;
  now?: () => Date;
  env?: Record<string, string | undefined>;
}

/**
 * The composition root: picks the backends named by BRIDGE_BACKEND. Adapters are imported lazily so
 * a function only loads the SDKs it uses (cold start).
 */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger =
    overrides.logger ?? createLogger({ level: config.LOG_LEVEL, project: config.GOOGLE_CLOUD_PROJECT });
  const now = overrides.now ?? (() => new Date());
  const env = overrides.env ?? {};
  for (const name of [
    'GITHUB_TOKEN',
    'GITHUB_APP_PRIVATE_KEY',
    'GOOGLE_ACCESS_TOKEN',
    'BRIDGE_ADMIN_TOKEN',
    'GITHUB_OAUTH_CLIENT_SECRET',
  ] as const) {
    logger.addSecret(config[name]);
  }
  for (const s of (config.GITHUB_WEBHOOK_SECRET ?? '').split(',')) logger.addSecret(s.trim());

  if (config.BRIDGE_BACKEND === 'gcp') {
    const { createGcpBackends } = await import('../adapters/gcp/index.ts');
    const backends = await createGcpBackends(config, logger);
    return { config, logger, now, ...backends };
  }

  // Owner only when the bridge makes it (an existing directory is the operator's choice).
  mkdirSync(config.BRIDGE_DATA_DIR, { recursive: true, mode: 0o700 });
  const { createLocalBackends } = await import('../adapters/local/index.ts');
  const backends = await createLocalBackends({
    file: join(config.BRIDGE_DATA_DIR, 'bridge.sqlite'),
    dataDir: config.BRIDGE_DATA_DIR,
    secretsKey: config.BRIDGE_SECRETS_KEY,
    env,
    logger,
    now,
  });
  return { config, logger, now, ...backends };
}
