import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDelivery } from '../../shared/ingress/index.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { type Bridge, mapLimit, startBridge } from './support/bridge-harness.ts';
import { webhookDelivery } from './support/webhook-delivery.ts';

interface WebhookDefinition {
  name: string;
  examples: Array<Record<string, unknown>>;
}

// The package is a JSON file per GitHub flavour; api.github.com is its `main`.
const definitions = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples'), 'utf8'),
) as WebhookDefinition[];
const cases = definitions.flatMap((d) =>
  d.examples.map((payload, i) => ({ event: d.name, payload, label: `${d.name}#${i}` })),
);

describe('every @octokit/webhooks-examples payload through the real server', () => {
  let bridge: Bridge;
  beforeAll(async () => {
    bridge = await startBridge();
  });
  afterAll(() => bridge?.close());

  it(`has the expected corpus (${definitions.length} events, ${cases.length} payloads)`, () => {
    expect(definitions.length).toBeGreaterThanOrEqual(50);
    expect(cases.length).toBeGreaterThanOrEqual(300);
  });

  it('accepts each signed payload (202) and publishes it exactly once', async () => {
    const results = await mapLimit(cases, 8, async (c) => {
      const d = webhookDelivery({ event: c.event, payload: c.payload });
      const res = await bridge.post('/github/webhook', d);
      return { label: c.label, event: c.event, payload: c.payload, deliveryId: d.deliveryId, res };
    });
    const rejected = results.filter((r) => r.res.status !== 202 || r.res.body.status !== 'accepted');
    expect(rejected.map((r) => `${r.label}: ${r.res.status} ${JSON.stringify(r.res.body)}`)).toEqual([]);

    const byDelivery = new Map<string, number>();
    for (const p of bridge.publishedOn(TOPICS.githubEvents)) {
      const id = p.options?.attributes?.deliveryId ?? '';
      byDelivery.set(id, (byDelivery.get(id) ?? 0) + 1);
    }
    const notOnce = results.filter((r) => byDelivery.get(r.deliveryId) !== 1).map((r) => r.label);
    expect(notOnce).toEqual([]);

    const records = await mapLimit(results, 8, async (r) => ({
      r,
      record: await getDelivery(bridge.ctx, r.deliveryId),
    }));
    const wrong = records.filter(
      ({ r, record }) =>
        record?.outcome !== 'published' ||
        record.event !== r.event ||
        record.timesReceived !== 1 ||
        record.repository !==
          ((r.payload.repository as { full_name?: string } | undefined)?.full_name ?? undefined),
    );
    expect(wrong.map(({ r, record }) => `${r.label}: ${JSON.stringify(record)}`)).toEqual([]);
  });
});
