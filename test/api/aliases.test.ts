import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictRecord, Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { services } from '../sync/support.ts';
import { expectError, linkFor, openConflictOn, raw, type TenantLink, tenantKey } from './support.ts';

/** The original spec's routes, as thin aliases over the v1 API. */
describe('spec alias routes', () => {
  let bridge: TestBridge;
  let token: string;
  let link: TenantLink;
  beforeAll(async () => {
    bridge = await startTestBridge();
    token = (await tenantKey(bridge, 'initech')).key;
    link = await linkFor(bridge, token, { writes: 'direct', onConflict: 'manual' });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const get = <T>(path: string) => bridge.api<T>('GET', path, undefined, token);
  const post = <T>(path: string, body: unknown = {}) => bridge.api<T>('POST', path, body, token);
  const op = async (id: string) => (await get<Operation>(`/api/v1/operations/${id}`)).body;

  it('GET /services/github lists the synced services; /services/github/{id} one of them', async () => {
    const list = await get<{ linkId: string; services: Array<{ id: string }> }>('/api/v1/services/github');
    expect(list.status).toBe(200);
    expect(list.body.linkId).toBe(link.id);
    expect(list.body.services.map((s) => s.id).sort()).toEqual(
      services()
        .map((s) => s.id)
        .sort(),
    );
    const one = await get<{ id: string; name: string }>('/api/v1/services/github/core');
    expect(one).toMatchObject({ status: 200, body: { id: 'core', name: 'Application Core' } });
    expectError(await raw(bridge, 'GET', '/api/v1/services/github/nope', { token }), 404, 'not_found');
  });

  it('GET /visualizations/aistudio and /export answer the design side', async () => {
    const vis = await get<Record<string, unknown>>('/api/v1/visualizations/aistudio');
    expect(vis.body).toMatchObject({ linkId: link.id, design: expect.stringMatching(/^file:\/\//) });
    const exported = await get<{ components: Array<{ service_id: string }> }>(
      '/api/v1/visualizations/aistudio/export',
    );
    expect(exported.status).toBe(200);
    expect(exported.body.components.map((c) => c.service_id)).toContain('core');
  });

  it.each([
    ['/api/v1/services/github/sync', 'definitions-to-design'],
    ['/api/v1/visualizations/aistudio/update', 'definitions-to-design'],
    ['/api/v1/sync/bidirectional', 'both'],
  ])('POST %s queues a %s sync', async (path, direction) => {
    const res = await post<{ operationId: string }>(path);
    expect(res.status).toBe(202);
    await bridge.idle();
    expect(await op(res.body.operationId)).toMatchObject({ linkId: link.id, direction, status: 'succeeded' });
  });

  it('GET /sync/status and /sync/history', async () => {
    const status = await get<Record<string, unknown>>('/api/v1/sync/status');
    expect(status.body).toMatchObject({ linkId: link.id, status: 'synced', openConflicts: 0 });
    const history = await get<{ linkId: string; items: Operation[] }>('/api/v1/sync/history');
    expect(history.body.linkId).toBe(link.id);
    expect(history.body.items.length).toBeGreaterThanOrEqual(4);
    const times = history.body.items.map((o) => o.queuedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('POST /sync/resolve-conflicts settles every open conflict and queues one sync', async () => {
    const conflict = await openConflictOn(bridge, link);
    const res = await post<{ settled: ConflictRecord[]; operationId: string | null }>(
      '/api/v1/sync/resolve-conflicts',
      { take: 'definitions' },
    );
    expect(res.status).toBe(200);
    expect(res.body.settled.map((c) => [c.id, c.state, c.value])).toEqual([
      [conflict.id, 'settled', 'Core (repo)'],
    ]);
    await bridge.idle();
    expect((await op(res.body.operationId ?? '')).trigger).toBe('conflict-resolution');
    const none = await post<{ settled: unknown[]; operationId: unknown }>('/api/v1/sync/resolve-conflicts', {
      take: 'design',
    });
    expect(none.body).toEqual({ settled: [], operationId: null });
    const again = await post('/api/v1/sync/resolve-conflicts', { take: 'design', conflictId: conflict.id });
    expect(again.status).toBe(409);
  });

  it('with several links the alias needs ?link=<id> (400 without, works with it)', async () => {
    const second = await linkFor(bridge, token);
    expect(
      expectError(await raw(bridge, 'GET', '/api/v1/sync/status', { token }), 400, 'bad_request'),
    ).toContain('?link=');
    const status = await get<{ linkId: string }>(`/api/v1/sync/status?link=${second.id}`);
    expect(status.body.linkId).toBe(second.id);
    expectError(
      await raw(bridge, 'GET', '/api/v1/sync/status?link=lnk_unknown', { token }),
      404,
      'not_found',
    );
  });
});
