import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../shared/ports/index.ts';
import { type AcceptedEdit, assertEveryEditAccounted } from './support/invariant.ts';
import { eventually, type ResilientBridge, startResilientBridge } from './support/resilient-bridge.ts';
import { REPO, startWorld, type World } from './support/world.ts';

const EDITS: readonly AcceptedEdit[] = [
  { side: 'design', serviceId: 'core', field: 'version', value: '2.3.0' },
  { side: 'definitions', serviceId: 'auth', field: 'version', value: '1.4.0' },
  { side: 'definitions', serviceId: 'persistence', field: 'status', value: 'deprecated' },
  { side: 'design', serviceId: 'persistence', field: 'version', value: '1.9.0' },
];

interface Message {
  topic: string;
  data: unknown;
  attributes: Record<string, string>;
  orderingKey: string;
}

/** Mulberry32: a seeded PRNG so a shuffled order is the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The final state worth comparing: every definition and every design component, sorted. */
function finalState(world: World) {
  const defs = [...world.definitions().values()].sort((a, b) => a.id.localeCompare(b.id));
  const comps = [...world.design().components].sort((a, b) =>
    String(a.service_id).localeCompare(String(b.service_id)),
  );
  return { defs, comps };
}

describe('duplicates and order: every message delivered twice, in shuffled order', () => {
  /** Makes the edits, then hands the bus what the edges would have published for them. */
  async function run(deliver: (messages: Message[]) => Message[]) {
    const world = await startWorld();
    const bridge = await startResilientBridge(world);
    try {
      return await scenario(world, bridge, deliver);
    } finally {
      await bridge.close();
      await world.close();
    }
  }

  async function scenario(
    world: World,
    bridge: ResilientBridge,
    deliver: (messages: Message[]) => Message[],
  ) {
    const link = await bridge.createLink();
    const shas: string[] = [];
    for (const e of EDITS) {
      if (e.side === 'design') world.editDesign(e.serviceId, e.field, e.value);
      else shas.push(world.editDefinition(e.serviceId, e.field, e.value));
    }
    const messages: Message[] = [
      ...shas.map((sha, i) => ({
        topic: TOPICS.githubEvents,
        data: { ref: 'refs/heads/main', after: sha, repository: { full_name: REPO } },
        attributes: { event: 'push', deliveryId: `d-${i}`, repository: REPO },
        orderingKey: REPO,
      })),
      {
        topic: TOPICS.driveChanges,
        data: { linkId: link.id },
        attributes: { linkId: link.id },
        orderingKey: link.id,
      },
      {
        topic: TOPICS.syncRequests,
        data: {
          linkId: link.id,
          operationId: 'op_redelivered0000000001',
          trigger: 'api',
          direction: 'both',
          dryRun: false,
        },
        attributes: { linkId: link.id },
        orderingKey: link.id,
      },
    ];
    for (const m of deliver(messages)) {
      await bridge.ctx.publisher.publish(m.topic, m.data, {
        attributes: m.attributes,
        orderingKey: m.orderingKey,
      });
    }
    // Events of one link on different ordering keys may race: the loser is nacked and retried later.
    const stats = await eventually('every message handled', async () => {
      const s = await bridge.ctx.bus?.stats();
      return s && s.pending === 0 && s.inFlight === 0 ? s : undefined;
    });
    expect(stats.dead).toBe(0);
    expect(await assertEveryEditAccounted(world, bridge, link.id, EDITS)).toEqual([
      'both',
      'both',
      'both',
      'both',
    ]);
    expect(world.bridgeCommits()).toHaveLength(1);
    return finalState(world);
  }

  it.each([1, 7, 42])(
    'seed %i: same final state as one in-order delivery, one bridge commit',
    async (seed) => {
      const once = await run((messages) => messages);
      const twiceShuffled = await run((messages) => shuffle([...messages, ...messages], prng(seed)));
      expect(twiceShuffled).toEqual(once);
    },
  );
});
