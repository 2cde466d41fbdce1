import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type BusMessage, TOPICS } from '../../shared/ports/index.ts';
import { eventually, type ResilientBridge, startResilientBridge } from './support/resilient-bridge.ts';
import { startWorld, type World } from './support/world.ts';

const REQUESTS = 1_000;
const SOCKETS = 100;

interface Answer {
  deliveryId: string;
  status: number;
  retryAfter: string | undefined;
}

function post(agent: Agent, url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/github/webhook`, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          deliveryId: headers['x-github-delivery']!,
          status: res.statusCode ?? 0,
          retryAfter: res.headers['retry-after'],
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('load: 1,000 concurrent webhook deliveries over 100 sockets', () => {
  let world: World;
  let bridge: ResilientBridge;

  afterEach(async () => {
    await bridge.close();
    await world.close();
  });

  it('every delivery is answered 202 (or 503 with Retry-After), and each accepted one is published exactly once', async () => {
    world = await startWorld();
    const seen = new Map<string, number>();
    bridge = await startResilientBridge(world, {
      taps: {
        [TOPICS.githubEvents]: async (m: BusMessage) => {
          const id = m.attributes.deliveryId ?? '';
          seen.set(id, (seen.get(id) ?? 0) + 1);
        },
      },
    });
    const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => {
        // Pushes to a repository no link follows: the worker resolves them quickly.
        const { body, headers } = world.pushDelivery(`${i.toString(16).padStart(40, '0')}`, `load-${i}`);
        return post(agent, bridge.url, body, headers);
      }),
    );
    agent.destroy();

    const byStatus = Object.groupBy(answers, (a) => String(a.status));
    expect(Object.keys(byStatus).filter((s) => s !== '202' && s !== '503')).toEqual([]);
    for (const refused of byStatus['503'] ?? []) expect(refused.retryAfter).toBeDefined();
    const accepted = (byStatus['202'] ?? []).map((a) => a.deliveryId);
    expect(accepted.length + (byStatus['503']?.length ?? 0)).toBe(REQUESTS);

    await eventually(
      'every accepted delivery consumed',
      async () => {
        const stats = await bridge.ctx.bus?.stats();
        return stats && stats.pending === 0 && stats.inFlight === 0 ? stats : undefined;
      },
      20_000,
    );
    expect(accepted.filter((id) => seen.get(id) !== 1)).toEqual([]);
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(accepted.length);
    expect((await bridge.ctx.bus?.stats())?.dead).toBe(0);
    // The deliveries API agrees for a sample.
    for (const id of accepted.filter((_, i) => i % 100 === 0)) {
      const record = await bridge.api<{ outcome: string; timesReceived: number }>(
        'GET',
        `/api/v1/deliveries/${id}`,
      );
      expect(record.body).toMatchObject({ outcome: 'published', timesReceived: 1 });
    }
  });
});
