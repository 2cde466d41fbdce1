import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_MAX_RUNS } from '../../shared/api/routes/stats.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, linkFor, raw, type TenantLink, tenantKey } from './support.ts';

interface Stats {
  from: string;
  to: string;
  bucketMinutes: number;
  linkId?: string;
  totals: { runs: number; succeeded: number; failed: number; successRate: number | null; p50: number | null };
  errors: Array<{ code: string; count: number }>;
  buckets: Array<{ start: string; runs: number; p95: number | null }>;
  truncated: boolean;
  coveredSince?: string;
}

describe('GET /api/v1/stats', () => {
  let bridge: TestBridge;
  let acme: TenantLink;
  let globex: TenantLink;
  beforeAll(async () => {
    bridge = await startTestBridge();
    acme = await linkFor(bridge, (await tenantKey(bridge, 'acme')).key);
    globex = await linkFor(bridge, (await tenantKey(bridge, 'globex')).key);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const stats = (query: string, token?: string) =>
    bridge.api<Stats>('GET', `/api/v1/stats${query}`, undefined, token);

  it('counts the real first sync of a link, with its duration, in a tenant’s own figures', async () => {
    const res = await stats('?hours=2&bucketMinutes=15', acme.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totals).toMatchObject({ runs: 1, succeeded: 1, failed: 0, successRate: 1 });
    expect(res.body.totals.p50).toBeGreaterThanOrEqual(0);
    expect(res.body.buckets).toHaveLength(8);
    expect(res.body.buckets.reduce((n, b) => n + b.runs, 0)).toBe(1);
    expect(res.body.truncated).toBe(false);
  });

  it('keeps tenants apart: another tenant’s link is a 404, the admin sees every tenant', async () => {
    expectError(
      await raw(bridge, 'GET', `/api/v1/stats?link=${globex.id}`, { token: acme.token }),
      404,
      'not_found',
    );
    const own = await stats(`?link=${acme.id}`, acme.token);
    expect(own.body).toMatchObject({ linkId: acme.id, totals: { runs: 1 } });
    const admin = await stats('');
    expect(admin.body.totals.runs).toBe(2);
    expect(admin.body.bucketMinutes).toBe(15);
    // The admin, whose figures cover every tenant, may narrow them to any tenant's link.
    const one = await stats(`?link=${globex.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ linkId: globex.id, totals: { runs: 1 } });
  });

  it('reads failures, error codes and latency from the stored runs of the window', async () => {
    const now = Date.now();
    const seed = async (id: string, minutesAgo: number, fields: Record<string, unknown>) =>
      bridge.ctx.state.set(COLLECTIONS.operations, id, {
        id,
        linkId: acme.id,
        tenant: 'acme',
        trigger: 'github-event',
        direction: 'both',
        queuedAt: new Date(now - minutesAgo * 60_000).toISOString(),
        ...fields,
      });
    await seed('seed-fail-1', 10, {
      status: 'failed',
      durationMs: 2_000,
      error: { code: 'rate_limited', message: 'x' },
    });
    await seed('seed-fail-2', 20, {
      status: 'failed',
      durationMs: 4_000,
      error: { code: 'rate_limited', message: 'x' },
    });
    await seed('seed-old', 3 * 60, {
      status: 'failed',
      durationMs: 1,
      error: { code: 'too_old', message: 'x' },
    });
    const res = await stats('?hours=2', acme.token);
    expect(res.body.totals).toMatchObject({ runs: 3, succeeded: 1, failed: 2 });
    expect(res.body.totals.successRate).toBeCloseTo(1 / 3);
    expect(res.body.errors).toEqual([{ code: 'rate_limited', count: 2 }]);
    expect(Math.max(...res.body.buckets.map((b) => b.p95 ?? 0))).toBeGreaterThanOrEqual(2_000);
    // Globex's figures did not move.
    expect((await stats('?hours=2', globex.token)).body.totals.runs).toBe(1);
  });

  it('refuses bad windows and buckets, naming the parameter', async () => {
    for (const [query, field] of [
      ['?hours=0', 'hours'],
      ['?hours=745', 'hours'],
      ['?hours=abc', 'hours'],
      ['?bucketMinutes=7', 'bucketMinutes'],
      ['?hours=744&bucketMinutes=5', 'bucketMinutes'],
      [`?link=${'x'.repeat(101)}`, 'link'],
    ] as const) {
      const message = expectError(
        await raw(bridge, 'GET', `/api/v1/stats${query}`),
        400,
        'validation_failed',
      );
      expect(message.startsWith(`${field}:`), `${query}: ${message}`).toBe(true);
    }
    expectError(await raw(bridge, 'GET', '/api/v1/stats', { token: null }), 401, 'unauthorized');
  });

  it(`reads at most ${STATS_MAX_RUNS} runs, the newest, and says so`, async () => {
    const now = Date.now();
    await Promise.all(
      Array.from({ length: STATS_MAX_RUNS + 10 }, (_, i) =>
        bridge.ctx.state.set(COLLECTIONS.operations, `bulk-${i}`, {
          id: `bulk-${i}`,
          linkId: globex.id,
          tenant: 'globex',
          trigger: 'schedule',
          direction: 'both',
          status: 'succeeded',
          durationMs: 5,
          queuedAt: new Date(now - 60 * 60_000 + i * 100).toISOString(),
        }),
      ),
    );
    const res = await stats('?hours=2', globex.token);
    expect(res.body.truncated).toBe(true);
    expect(res.body.totals.runs).toBe(STATS_MAX_RUNS);
    expect(Date.parse(res.body.coveredSince ?? '')).toBeGreaterThan(now - 60 * 60_000);
  });
});
