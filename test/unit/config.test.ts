import { describe, expect, it } from 'vitest';
import { loadConfig, settingsTable } from '../../shared/config/index.ts';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      BRIDGE_BACKEND: 'local',
      BRIDGE_DATA_DIR: '.bridge',
      LOG_LEVEL: 'info',
    });
    expect(config.urls).toEqual({
      api: 'http://localhost:8080',
      driveNotifications: 'http://localhost:8080/drive/notifications',
      githubWebhook: 'http://localhost:8080/github/webhook',
    });
    expect(config.GITHUB_API_URL).toBe('https://api.github.com');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT: must be a port number such as 8080 \(got "eighty"\)/],
    [{ PORT: '70000' }, /PORT:/],
    [{ BRIDGE_BACKEND: 'aws' }, /BRIDGE_BACKEND: must be "local" or "gcp" \(got "aws"\)/],
    [
      { GITHUB_API_URL: 'not a url' },
      /GITHUB_API_URL: must be an absolute URL such as https:\/\/api.github.com/,
    ],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: must be debug, info, warn or error/],
    [{ GITHUB_APP_ID: 'abc' }, /GITHUB_APP_ID: must be the numeric GitHub App id/],
    [{ GITHUB_APP_ID: '123' }, /GITHUB_APP_PRIVATE_KEY: required when GITHUB_APP_ID is set/],
    [{ BRIDGE_BACKEND: 'gcp' }, /GOOGLE_CLOUD_PROJECT: required when BRIDGE_BACKEND=gcp/],
  ])('rejects %j naming the variable and a valid value', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT:[\s\S]*LOG_LEVEL:/);
  });

  it('never echoes a secret value in its error', () => {
    const bad = 'not-base64-but-secret-material';
    expect(() => loadConfig({ BRIDGE_SECRETS_KEY: bad })).toThrow(
      /BRIDGE_SECRETS_KEY: must be 32 random bytes/,
    );
    try {
      loadConfig({ BRIDGE_SECRETS_KEY: bad });
    } catch (err) {
      expect(String((err as Error).message)).not.toContain(bad);
    }
  });

  it('strips a trailing slash from URLs and derives the public URL from PORT', () => {
    const config = loadConfig({ GITHUB_API_URL: 'http://127.0.0.1:9000/', PORT: '9999' });
    expect(config.GITHUB_API_URL).toBe('http://127.0.0.1:9000');
    expect(config.urls.api).toBe('http://localhost:9999');
  });

  it('gives each address its own setting, each defaulting to the one server at BRIDGE_PUBLIC_URL', () => {
    expect(loadConfig({ BRIDGE_PUBLIC_URL: 'https://bridge.example.com/' }).urls).toEqual({
      api: 'https://bridge.example.com',
      driveNotifications: 'https://bridge.example.com/drive/notifications',
      githubWebhook: 'https://bridge.example.com/github/webhook',
    });
    const split = loadConfig({
      BRIDGE_PUBLIC_URL: 'https://bridge.example.com',
      BRIDGE_API_URL: 'https://api.example.com',
      BRIDGE_DRIVE_NOTIFICATIONS_URL: 'https://drive-in.example.com/drive/notifications',
      BRIDGE_GITHUB_WEBHOOK_URL: 'https://hooks.example.com/',
    });
    expect(split.urls).toEqual({
      api: 'https://api.example.com',
      driveNotifications: 'https://drive-in.example.com/drive/notifications',
      githubWebhook: 'https://hooks.example.com',
    });
    expect(() => loadConfig({ BRIDGE_API_URL: 'status-api' })).toThrow(
      /BRIDGE_API_URL: must be an absolute URL/,
    );
  });

  it('lists every setting in the README table', () => {
    const table = settingsTable();
    for (const name of ['PORT', 'BRIDGE_BACKEND', 'GITHUB_WEBHOOK_SECRET', 'DRIVE_API_ROOT_URL']) {
      expect(table).toContain(`\`${name}\``);
    }
  });
});
