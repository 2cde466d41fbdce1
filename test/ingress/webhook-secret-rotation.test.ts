import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET_CACHE_MS, WEBHOOK_SECRET_RECHECK_MS } from '../../shared/ingress/index.ts';
import { SECRETS } from '../../shared/ports/index.ts';
import { type Bridge, startBridge } from './support/bridge-harness.ts';
import { webhookDelivery } from './support/webhook-delivery.ts';

describe('webhook secret at use time', () => {
  let bridge: Bridge;
  let t = Date.parse('2025-01-01T00:00:00Z');
  beforeAll(async () => {
    bridge = await startBridge({ GITHUB_WEBHOOK_SECRET: undefined }, { now: () => new Date(t) });
  });
  afterAll(() => bridge?.close());

  it('answers 503 naming GITHUB_WEBHOOK_SECRET while no secret exists, never accepting unsigned', async () => {
    for (const d of [webhookDelivery({ secret: null }), webhookDelivery({ secret: 'anything' })]) {
      const res = await bridge.post('/github/webhook', d);
      expect(res.status).toBe(503);
      expect(res.body.error?.message).toContain('GITHUB_WEBHOOK_SECRET');
    }
    expect(bridge.published).toHaveLength(0);
  });

  it('picks up a new secret version without a restart once the short cache expires', async () => {
    await bridge.ctx.secrets.addVersion(SECRETS.githubWebhook, 'first-secret');
    t += WEBHOOK_SECRET_CACHE_MS;
    expect((await bridge.post('/github/webhook', webhookDelivery({ secret: 'first-secret' }))).status).toBe(
      202,
    );

    // Rotated just after the last read: the first delivery signed with the new secret reads again.
    await bridge.ctx.secrets.addVersion(SECRETS.githubWebhook, 'second-secret');
    expect((await bridge.post('/github/webhook', webhookDelivery({ secret: 'second-secret' }))).status).toBe(
      202,
    );
    // Bad signatures cannot make every request read the store: within the re-check window the
    // values just read are trusted, so a second rotation at once waits for the window...
    await bridge.ctx.secrets.addVersion(SECRETS.githubWebhook, 'second-and-a-half');
    const early = await bridge.post('/github/webhook', webhookDelivery({ secret: 'second-and-a-half' }));
    expect(early.status).toBe(401);
    // ...and a few seconds on, well inside the 30 s cache, a delivery signed with it is accepted.
    t += WEBHOOK_SECRET_RECHECK_MS;
    expect(
      (await bridge.post('/github/webhook', webhookDelivery({ secret: 'second-and-a-half' }))).status,
    ).toBe(202);
    await bridge.ctx.secrets.addVersion(SECRETS.githubWebhook, 'third-secret');
    t += WEBHOOK_SECRET_CACHE_MS;
    // The previous versions stay enabled during the rotation's grace period.
    for (const secret of ['third-secret', 'second-secret', 'first-secret']) {
      expect((await bridge.post('/github/webhook', webhookDelivery({ secret }))).status).toBe(202);
    }
  });
});
