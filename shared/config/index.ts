export { driveConfigured } from './credentials.ts';
export { type Config, loadConfig, settingsTable } from './load-config.ts';
export { SETTINGS, type SettingName } from './settings.ts';
