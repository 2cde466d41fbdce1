import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SecretManagerStore } from '../../shared/adapters/gcp/secret-manager-store.ts';
import { loadConfig } from '../../shared/config/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { OAUTH_CLIENT_SECRET_NAME, resolveOAuthClient } from '../../shared/oauth/index.ts';
import { FUNCTION_SPECS } from '../../shared/topology/index.ts';
import { type FakeSecretManager, startFakeSecretManager } from '../gcp/support/secret-manager-loopback.ts';

const CLIENT_SECRET = 'oauth-client-secret-in-secret-manager-0123';

describe('the OAuth App’s client secret on GCP (Secret Manager through its loopback gRPC service)', () => {
  let server: FakeSecretManager;
  let store: SecretManagerStore;
  beforeAll(async () => {
    server = await startFakeSecretManager();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    server.secrets.clear();
    server.denied.clear();
    store = new SecretManagerStore({ client: server.client(), projectId: 'demo-bridge' });
  });
  afterEach(async () => {
    await store.close();
  });

  const resolve = () =>
    resolveOAuthClient({
      config: loadConfig({ GITHUB_OAUTH_CLIENT_ID: 'Iv1.gcp0000000000001' }),
      secrets: store,
      logger: createLogger({ write: () => {} }),
    });

  it('reads it when it is there', async () => {
    await store.addVersion(OAUTH_CLIENT_SECRET_NAME, CLIENT_SECRET);
    await expect(resolve()).resolves.toMatchObject({ clientSecret: CLIENT_SECRET });
  });

  it('an absent secret: 503, GitHub OAuth is not configured', async () => {
    await expect(resolve()).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('GitHub OAuth is not configured'),
    });
  });

  it('a secret the account may not read: a different error that says so, not “not configured”', async () => {
    await store.addVersion(OAUTH_CLIENT_SECRET_NAME, CLIENT_SECRET);
    server.denied.add(OAUTH_CLIENT_SECRET_NAME);
    const err = await resolve().then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('config_invalid');
    expect(err?.message).toMatch(/may not read secret github-oauth-client-secret/);
    expect(err?.message).not.toContain('not configured');
  });

  it('status-api, which serves the OAuth connect flow, may read it (terraform grants what the topology lists)', () => {
    expect(FUNCTION_SPECS['status-api'].secrets).toContain(OAUTH_CLIENT_SECRET_NAME);
  });
});
