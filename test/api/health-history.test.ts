import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthHistoryResponse } from '../../shared/api/routes/health-history.ts';
import { runHealthJob } from '../../shared/health/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, linkFor, raw, type TenantLink, tenantKey } from './support.ts';

interface Integrations {
  ok: boolean;
  healthy: number;
  degraded: number;
  unhealthy: number;
  failing: Array<{ linkId: string; status: string; failing: Array<{ check: string; reason: string }> }>;
}

describe('integration health in the API', () => {
  let bridge: TestBridge;
  let acme: TenantLink;
  let globex: TenantLink;
  beforeAll(async () => {
    bridge = await startTestBridge();
    acme = await linkFor(bridge, (await tenantKey(bridge, 'acme')).key);
    globex = await linkFor(bridge, (await tenantKey(bridge, 'globex')).key);
    await runHealthJob(bridge.ctx);
    // globex's design disappears: its next check finds it unhealthy.
    await rm(globex.designFile);
    await runHealthJob(bridge.ctx);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('GET /api/v1/health/history: the link’s health now and its changes, in the documented shape', async () => {
    const res = await bridge.api('GET', `/api/v1/health/history?link=${globex.id}`, undefined, globex.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = HealthHistoryResponse.parse(res.body);
    expect(body.current).toMatchObject({ linkId: globex.id, status: 'unhealthy' });
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      change: 'unhealthy',
      from: 'healthy',
      failing: [{ check: 'design.auth' }],
    });
    const healthy = HealthHistoryResponse.parse(
      (await bridge.api('GET', `/api/v1/health/history?link=${acme.id}`, undefined, acme.token)).body,
    );
    expect(healthy).toMatchObject({ current: { status: 'healthy' }, items: [] });
  });

  it('keeps tenants apart: another tenant’s link is a 404; bad parameters are a 400', async () => {
    expectError(
      await raw(bridge, 'GET', `/api/v1/health/history?link=${globex.id}`, { token: acme.token }),
      404,
      'not_found',
    );
    expectError(
      await raw(bridge, 'GET', '/api/v1/health/history', { token: acme.token }),
      400,
      'validation_failed',
    );
    expectError(
      await raw(bridge, 'GET', `/api/v1/health/history?link=${acme.id}&limit=0`, { token: acme.token }),
      400,
      'validation_failed',
    );
  });

  it('GET /api/v1/health counts the caller’s links by health and names the failing ones', async () => {
    const of = async (token?: string) =>
      (await bridge.api<{ integrations: Integrations }>('GET', '/api/v1/health', undefined, token)).body
        .integrations;
    expect(await of(acme.token)).toMatchObject({
      ok: true,
      healthy: 1,
      degraded: 0,
      unhealthy: 0,
      failing: [],
    });
    const globexView = await of(globex.token);
    expect(globexView).toMatchObject({
      healthy: 0,
      unhealthy: 1,
      failing: [{ linkId: globex.id, status: 'unhealthy' }],
    });
    expect(await of()).toMatchObject({ healthy: 1, unhealthy: 1 });
  });

  it('deleting a link forgets its health', async () => {
    expect((await bridge.api('DELETE', `/api/v1/links/${globex.id}`, undefined, globex.token)).status).toBe(
      204,
    );
    expect(await bridge.ctx.state.get('health', globex.id)).toBeUndefined();
  });
});
