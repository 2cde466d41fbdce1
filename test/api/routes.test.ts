import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../shared/adapters/local/index.ts';
import type { ConflictRecord, Link, Operation } from '../../shared/records/index.ts';
import { TEST_SECRET, webhookDelivery } from '../ingress/support/webhook-delivery.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, linkFor, openConflictOn, raw, type TenantLink } from './support.ts';

async function operation(bridge: TestBridge, id: string): Promise<Operation> {
  const res = await bridge.api<Operation>('GET', `/api/v1/operations/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Dead-letters one message on `topic` in the bridge's own SQLite file (one attempt, failing handler). */
async function deadLetter(bridge: TestBridge, topic: string, data: unknown): Promise<void> {
  const bus = new SqliteEventBus({
    file: join(bridge.dir, 'data', 'bridge.sqlite'),
    retry: { maxAttempts: 1, minBackoffMs: 0, maxBackoffMs: 0 },
  });
  bus.subscribe(topic, async () => {
    throw new Error('poison message');
  });
  bus.start();
  await bus.publish(topic, data);
  await bus.idle();
  await bus.close();
}

describe('status API routes through the real server', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: TEST_SECRET });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  describe('health and documents without auth', () => {
    it('GET /healthz is ok without a token', async () => {
      const res = await raw(bridge, 'GET', '/healthz', { token: null });
      expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('GET /api/v1/openapi.json needs no token', async () => {
      const res = await raw(bridge, 'GET', '/api/v1/openapi.json', { token: null });
      expect(res.status).toBe(200);
      expect((res.body as { openapi: string }).openapi).toBe('3.1.0');
    });

    it('GET /api/v1/health reports the state store, the bus and Drive channels (with auth)', async () => {
      expectError(await raw(bridge, 'GET', '/api/v1/health', { token: null }), 401, 'unauthorized');
      const res = await bridge.api<Record<string, unknown>>('GET', '/api/v1/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        backend: 'local',
        stateStore: { ok: true },
        bus: {
          ok: true,
          pending: expect.any(Number),
          inFlight: expect.any(Number),
          dead: expect.any(Number),
        },
        driveChannels: { ok: true, count: 0 },
        driveChangesFeed: { status: expect.stringContaining('not started') },
      });
    });
  });

  describe('links', () => {
    let link: TenantLink;
    beforeAll(async () => {
      link = await linkFor(bridge);
    });

    it('POST /links answers 201 with the link, its Location and the first sync', async () => {
      const { repo, design } = await (await import('./support.ts')).localSides(bridge);
      const res = await raw(bridge, 'POST', '/api/v1/links', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ repo, design, branch: 'main', policy: { mode: 'report-only' } }),
      });
      expect(res.status).toBe(201);
      const body = res.body as Link & { initialOperationId: string };
      expect(res.headers.get('location')).toBe(`/api/v1/links/${body.id}`);
      expect(body).toMatchObject({
        id: expect.stringMatching(/^lnk_/),
        tenant: 'default',
        repo,
        design,
        branch: 'main',
        status: 'out_of_sync',
        policy: {
          writes: 'pull-request',
          onConflict: 'design-wins',
          onRemoval: 'manual',
          versions: 'higher-wins',
          maxDeletePercent: 50,
          mode: 'report-only',
        },
      });
      await bridge.idle();
      expect((await operation(bridge, body.initialOperationId)).trigger).toBe('link-created');
      expect((await bridge.api('DELETE', `/api/v1/links/${body.id}`)).status).toBe(204);
    });

    it('a branch is optional: the repository’s default branch is used', async () => {
      const { repo, design } = await (await import('./support.ts')).localSides(bridge);
      const res = await bridge.api<Link>('POST', '/api/v1/links', { repo, design });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.branch).toBe('main');
      await bridge.idle();
      expect((await bridge.api('DELETE', `/api/v1/links/${res.body.id}`)).status).toBe(204);
    });

    it('GET /links/{id} shows status, positions and the last sync', async () => {
      const res = await bridge.api<Link>('GET', `/api/v1/links/${link.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: link.id,
        status: 'synced',
        positions: { headSha: expect.stringMatching(/^[0-9a-f]{40}$/) },
        lastSync: { result: expect.any(String), operationId: expect.stringMatching(/^op_/) },
        openConflicts: 0,
      });
    });

    it('POST /links/{id}/sync queues: 202 {operationId} and a Location; the run is in the history', async () => {
      const res = await raw(bridge, 'POST', `/api/v1/links/${link.id}/sync`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ direction: 'design-to-definitions', dryRun: true }),
      });
      expect(res.status).toBe(202);
      const { operationId } = res.body as { operationId: string };
      expect(res.headers.get('location')).toBe(`/api/v1/operations/${operationId}`);
      await bridge.idle();
      const op = await operation(bridge, operationId);
      expect(op).toMatchObject({
        id: operationId,
        linkId: link.id,
        trigger: 'api',
        direction: 'design-to-definitions',
        dryRun: true,
        status: 'succeeded',
      });
      expect(op.durationMs).toEqual(expect.any(Number));
      const history = await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${link.id}/operations`);
      expect(history.body.items[0]?.id).toBe(operationId);
      expect(history.body.items.map((o) => o.trigger)).toContain('link-created');
    });

    it('an empty sync body is allowed (no content type needed)', async () => {
      const res = await raw(bridge, 'POST', `/api/v1/links/${link.id}/sync`);
      expect(res.status).toBe(202);
      await bridge.idle();
    });

    it('GET /links/{id}/drift answers the findings', async () => {
      const res = await bridge.api<{ findings: unknown[] }>('GET', `/api/v1/links/${link.id}/drift`);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body.findings)).toBe(true);
    });

    it('DELETE /links/{id} is 204, then the link and its routes are 404', async () => {
      const doomed = await linkFor(bridge);
      const res = await raw(bridge, 'DELETE', `/api/v1/links/${doomed.id}`);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      for (const path of [
        `/api/v1/links/${doomed.id}`,
        `/api/v1/links/${doomed.id}/operations`,
        `/api/v1/links/${doomed.id}/conflicts`,
        `/api/v1/links/${doomed.id}/drift`,
      ]) {
        expectError(await raw(bridge, 'GET', path), 404, 'not_found');
      }
      expectError(await raw(bridge, 'DELETE', `/api/v1/links/${doomed.id}`), 404, 'not_found');
    });
  });

  describe('conflicts', () => {
    let link: TenantLink;
    let conflict: ConflictRecord;
    beforeAll(async () => {
      link = await linkFor(bridge, ADMIN_TOKEN, { writes: 'direct', onConflict: 'manual' });
      conflict = await openConflictOn(bridge, link);
    });

    it('lists open conflicts with base, design and definitions values', async () => {
      expect(conflict).toMatchObject({
        serviceId: 'core',
        field: 'name',
        state: 'open',
        design: 'Core (design)',
        definitions: 'Core (repo)',
      });
      const settled = await bridge.api<{ items: unknown[] }>(
        'GET',
        `/api/v1/links/${link.id}/conflicts?state=settled`,
      );
      expect(settled.body.items).toEqual([]);
    });

    it('resolving answers 200 with the settled conflict and a queued sync; again is 409', async () => {
      const res = await bridge.api<{ conflict: ConflictRecord; operationId: string }>(
        'POST',
        `/api/v1/links/${link.id}/conflicts/${conflict.id}/resolve`,
        { take: 'value', value: 'Core (agreed)' },
      );
      expect(res.status).toBe(200);
      expect(res.body.conflict).toMatchObject({ id: conflict.id, state: 'settled', resolution: 'value' });
      await bridge.idle();
      expect((await operation(bridge, res.body.operationId)).trigger).toBe('conflict-resolution');

      const again = await raw(bridge, 'POST', `/api/v1/links/${link.id}/conflicts/${conflict.id}/resolve`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ take: 'design' }),
      });
      expect(expectError(again, 409, 'conflict')).toContain('already settled');

      const all = await bridge.api<{ items: ConflictRecord[] }>('GET', `/api/v1/links/${link.id}/conflicts`);
      expect(all.body.items.find((c) => c.id === conflict.id)).toMatchObject({
        state: 'settled',
        resolution: 'value',
        value: 'Core (agreed)',
      });
      const open = await bridge.api<{ items: unknown[] }>(
        'GET',
        `/api/v1/links/${link.id}/conflicts?state=open`,
      );
      expect(open.body.items).toEqual([]);
    });

    it('two resolutions of one conflict at once: one wins (200), the other is 409', async () => {
      const fresh = await openConflictOn(bridge, link, { design: 'Core A', repo: 'Core B' });
      const path = `/api/v1/links/${link.id}/conflicts/${fresh.id}/resolve`;
      const results = await Promise.all([
        bridge.api('POST', path, { take: 'design' }),
        bridge.api('POST', path, { take: 'definitions' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      await bridge.idle();
    });

    it('an unknown conflict is 404', async () => {
      expectError(
        await raw(bridge, 'POST', `/api/v1/links/${link.id}/conflicts/cfl_nope/resolve`, {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ take: 'design' }),
        }),
        404,
        'not_found',
      );
    });
  });

  describe('deliveries and dead letters (admin)', () => {
    it('GET /deliveries/{id} shows a webhook delivery and counts redeliveries', async () => {
      const delivery = webhookDelivery({ event: 'ping' });
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${bridge.url}/github/webhook`, {
          method: 'POST',
          headers: delivery.headers,
          body: new Uint8Array(delivery.body),
        });
        expect(res.status).toBeLessThan(300);
      }
      const res = await bridge.api<Record<string, unknown>>(
        'GET',
        `/api/v1/deliveries/${delivery.deliveryId}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        deliveryId: delivery.deliveryId,
        event: 'ping',
        timesReceived: 2,
        firstSeen: expect.any(String),
        lastSeen: expect.any(String),
        outcome: expect.any(String),
      });
      expectError(await raw(bridge, 'GET', '/api/v1/deliveries/unknown-delivery'), 404, 'not_found');
    });

    it('lists dead letters and replays one: 202, then it is gone and pending again', async () => {
      await deadLetter(bridge, 'test-poison', { n: 1 });
      const list = await bridge.api<{ items: Array<{ id: string; topic: string; lastError: string }> }>(
        'GET',
        '/api/v1/dead-letters',
      );
      expect(list.status).toBe(200);
      const [dead] = list.body.items;
      expect(dead).toMatchObject({ topic: 'test-poison', lastError: expect.stringContaining('poison') });
      const healthBefore = await bridge.api<{ bus: { dead: number; pending: number } }>(
        'GET',
        '/api/v1/health',
      );
      expect(healthBefore.body.bus.dead).toBe(1);

      const replay = await bridge.api('POST', `/api/v1/dead-letters/${dead?.id}/replay`);
      expect(replay).toMatchObject({ status: 202, body: { replayed: dead?.id } });
      const after = await bridge.api<{ items: unknown[] }>('GET', '/api/v1/dead-letters');
      expect(after.body.items).toEqual([]);
      const healthAfter = await bridge.api<{ bus: { dead: number; pending: number } }>(
        'GET',
        '/api/v1/health',
      );
      expect(healthAfter.body.bus).toMatchObject({ dead: 0, pending: healthBefore.body.bus.pending + 1 });

      expectError(await raw(bridge, 'POST', `/api/v1/dead-letters/${dead?.id}/replay`), 404, 'not_found');
    });

    it('a dead-letter queue without pages (Pub/Sub) answers one page and no page token', async () => {
      const real = bridge.ctx.deadLetters;
      const asked: Array<{ limit?: number; startAfterId?: string }> = [];
      bridge.ctx.deadLetters = {
        pageable: false,
        listDeadLetters: async (options = {}) => {
          asked.push(options);
          return [];
        },
        replayDeadLetter: async () => false,
      };
      try {
        const res = await bridge.api<Record<string, unknown>>('GET', '/api/v1/dead-letters?pageSize=5');
        expect(res).toMatchObject({ status: 200, body: { items: [] } });
        expect(res.body).not.toHaveProperty('nextPageToken');
        expect(asked).toEqual([{ limit: 5 }]);
        expectError(await raw(bridge, 'GET', '/api/v1/dead-letters?pageToken=x'), 400, 'validation_failed');
      } finally {
        bridge.ctx.deadLetters = real;
      }
    });
  });
});
