import type { Config } from './load-config.ts';

/**
 * Whether the bridge has Google credentials to reach Drive with: an access token, Application
 * Default Credentials (on GCP always; locally when GOOGLE_APPLICATION_CREDENTIALS is set), or a
 * loopback Drive (tests).
 */
export function driveConfigured(config: Config): boolean {
  const hasAdc = config.BRIDGE_BACKEND === 'gcp' || Boolean(config.GOOGLE_APPLICATION_CREDENTIALS);
  return Boolean(config.GOOGLE_ACCESS_TOKEN) || hasAdc || Boolean(config.DRIVE_API_ROOT_URL);
}
