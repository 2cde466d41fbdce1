import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnect } from '../oauth/support/connect-flow.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';

/** As on GCP: the API, Drive's and GitHub's deliveries each reach a function of their own. */
const API_URL = 'https://status-api.bridge.test';
const DRIVE_URL = 'https://drive-notifications.bridge.test/drive/notifications';
const HOOK_URL = 'https://github-webhook.bridge.test/github/webhook';

describe('each address names the function that answers it', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge({
      BRIDGE_API_URL: API_URL,
      BRIDGE_DRIVE_NOTIFICATIONS_URL: DRIVE_URL,
      BRIDGE_GITHUB_WEBHOOK_URL: HOOK_URL,
      GITHUB_OAUTH_CLIENT_ID: 'Iv1.addresses0000001',
      GITHUB_OAUTH_CLIENT_SECRET: 'addresses-client-secret-0123456789',
      GITHUB_OAUTH_BASE: 'https://github.bridge.test',
    });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('the OpenAPI document’s server is the API’s address', async () => {
    const doc = await bridge.api<{ servers: Array<{ url: string }> }>('GET', '/api/v1/openapi.json');
    expect(doc.body.servers).toEqual([{ url: API_URL }]);
  });

  it('the OAuth callback GitHub is sent back to is on the API’s address (secure cookie there)', async () => {
    const started = await startConnect(bridge.url);
    expect(started.authorizeUrl.searchParams.get('redirect_uri')).toBe(
      `${API_URL}/api/integrations/github/callback`,
    );
    expect(started.setCookie).toContain('Secure');
  });

  it('the configuration keeps Drive’s and GitHub’s addresses apart', () => {
    expect(bridge.ctx.config.urls).toEqual({
      api: API_URL,
      driveNotifications: DRIVE_URL,
      githubWebhook: HOOK_URL,
    });
  });
});
