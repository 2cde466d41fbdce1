import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretManagerStore } from '../../shared/adapters/gcp/secret-manager-store.ts';
import { WEBHOOK_SECRET_RECHECK_MS } from '../../shared/ingress/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { type FakeSecretManager, startFakeSecretManager } from '../gcp/support/secret-manager-loopback.ts';
import { type Bridge, startBridge } from './support/bridge-harness.ts';
import { webhookDelivery } from './support/webhook-delivery.ts';

/**
 * github-webhook on GCP: its secrets come from Secret Manager (a loopback SecretManagerService) through
 * the store's 30 s cache, and the scheduler, another process, rotates them.
 */
describe('webhook secret rotated by another process, read from Secret Manager', () => {
  let server: FakeSecretManager;
  let scheduler: SecretManagerStore;
  let bridge: Bridge;
  let t = Date.parse('2025-01-01T00:00:00Z');
  const lists = () => server.calls.filter((c) => c === 'ListSecretVersions').length;

  beforeAll(async () => {
    server = await startFakeSecretManager();
    scheduler = new SecretManagerStore({ client: server.client(), projectId: 'demo-bridge' });
    await scheduler.addVersion(SECRETS.githubWebhook, 'first-secret');
    const secrets = new SecretManagerStore({ client: server.client(), projectId: 'demo-bridge' });
    bridge = await startBridge({ GITHUB_WEBHOOK_SECRET: undefined }, { now: () => new Date(t), secrets });
  });
  afterAll(async () => {
    await bridge?.close();
    await scheduler?.close();
    await server?.stop();
  });

  it('accepts a delivery signed with the new secret at once, not after the store’s 30 s cache', async () => {
    expect((await bridge.post('/github/webhook', webhookDelivery({ secret: 'first-secret' }))).status).toBe(
      202,
    );
    await scheduler.addVersion(SECRETS.githubWebhook, 'rotated-secret');
    t += WEBHOOK_SECRET_RECHECK_MS;
    const res = await bridge.post('/github/webhook', webhookDelivery({ secret: 'rotated-secret' }));
    expect(res.status).toBe(202);
  });

  it('a flood of bad signatures reads Secret Manager at most once per re-check window', async () => {
    t += WEBHOOK_SECRET_RECHECK_MS;
    const before = lists();
    const flood = Array.from({ length: 40 }, () =>
      bridge.post('/github/webhook', webhookDelivery({ secret: 'forged-secret' })),
    );
    for (const res of await Promise.all(flood)) expect(res.status).toBe(401);
    for (let i = 0; i < 10; i++)
      expect(
        (await bridge.post('/github/webhook', webhookDelivery({ secret: 'forged-secret' }))).status,
      ).toBe(401);
    expect(lists() - before).toBeLessThanOrEqual(1);
  });
});
