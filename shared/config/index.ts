export { driveConfigured } from './credentials.ts';
export { type Config, loadConfig, settingsTable } from './load-config.ts';
export { SETTINGS } from './settings.ts';
