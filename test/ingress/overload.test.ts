import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { AppContext } from '../../shared/context/index.ts';
import type { HttpRequest } from '../../shared/http/index.ts';
import { createGithubWebhookHandler } from '../../shared/ingress/index.ts';
import { createLogger } from '../../shared/logging/index.ts';
import type { EventPublisher, SecretStore } from '../../shared/ports/index.ts';
import { tempStateStore } from './support/state-store.ts';
import { pushPayload, TEST_SECRET, webhookDelivery } from './support/webhook-delivery.ts';

function request(delivery: ReturnType<typeof webhookDelivery>): HttpRequest {
  return {
    method: 'POST',
    path: '/github/webhook',
    query: new URLSearchParams(),
    headers: delivery.headers,
    body: async () => delivery.body,
  };
}

describe('github-webhook under overload', () => {
  let store: ReturnType<typeof tempStateStore>;
  let release: () => void;
  let published: number;
  let ctx: AppContext;

  beforeEach(() => {
    store = tempStateStore();
    published = 0;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const publisher: EventPublisher = {
      publish: async () => {
        await gate;
        published += 1;
        return `m${published}`;
      },
      close: async () => {},
    };
    const secrets = {
      accessEnabled: async () => [{ version: '1', value: TEST_SECRET }],
    } as unknown as SecretStore;
    ctx = assembleContext(loadConfig({}), createLogger({ write: () => {} }), store.now, {
      state: store.state,
      publisher,
      secrets,
      close: async () => {},
    });
  });
  afterEach(() => store.close());

  it('answers 503 with Retry-After past the in-flight limit, and every accepted delivery is published once', async () => {
    const handler = createGithubWebhookHandler(ctx, { maxInFlight: 2 });
    const deliveries = [1, 2, 3].map(() => webhookDelivery({ event: 'push', payload: pushPayload() }));
    const first = handler(request(deliveries[0]!));
    const second = handler(request(deliveries[1]!));
    // Both are now waiting on the publish; the third is refused at once.
    await expect.poll(() => store.state.query('deliveries').then((d) => d.length)).toBe(2);
    const refused = await handler(request(deliveries[2]!));
    expect(refused.status).toBe(503);
    expect(refused.headers?.['retry-after']).toBe('1');
    release();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(202);
    expect(published).toBe(2);
    // The refused delivery is accepted when GitHub (or the recovery job) sends it again.
    expect((await handler(request(deliveries[2]!))).status).toBe(202);
    expect(published).toBe(3);
  });
});
