import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantKey } from '../api/support.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { sampleSum, scrape } from './scrape.ts';

const SCRAPE_TOKEN = 'metrics-scrape-token-0123456789';

describe('GET /metrics: Prometheus text on the bridge’s own port, closed to anonymous callers', () => {
  let bridge: TestBridge;

  beforeAll(async () => {
    bridge = await startTestBridge({ BRIDGE_METRICS_TOKEN: SCRAPE_TOKEN }, { logLevel: 'info' });
  });
  afterAll(async () => {
    await bridge.close();
  });

  const get = (headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${bridge.url}/metrics`, { method, headers });

  it('answers 401 without a token or with a wrong one, and says nothing more', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not-the-scrape-token' },
      { authorization: 'Basic eDp5' },
    ];
    for (const headers of attempts) {
      const res = await get(headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('unauthorized');
      expect(JSON.stringify(body)).not.toContain('bridge_');
    }
  });

  it('a tenant’s API key is not enough (the figures are the whole instance’s): 403', async () => {
    const acme = await tenantKey(bridge, 'acme');
    expect((await get({ authorization: `Bearer ${acme.key}` })).status).toBe(403);
  });

  it('the scrape token and the admin token read it, in Prometheus text that a parser accepts', async () => {
    const res = await get({ authorization: `Bearer ${SCRAPE_TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const families = await scrape(bridge, SCRAPE_TOKEN);
    // Families with samples from the start: the gauges read at collection time.
    expect(families.map((f) => f.name)).toEqual(
      expect.arrayContaining(['bridge_queue_depth', 'bridge_queue_oldest_age', 'bridge_dead_letters']),
    );
    expect(families.find((f) => f.name === 'bridge_queue_depth')?.type).toBe('GAUGE');
    expect((await scrape(bridge, ADMIN_TOKEN)).length).toBeGreaterThan(0);
  });

  it('a 5xx answer is counted by function and status (here: a webhook with no secret configured)', async () => {
    const res = await fetch(`${bridge.url}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': 'no-secret-1',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body: '{}',
    });
    expect(res.status).toBe(503);
    const families = await scrape(bridge, SCRAPE_TOKEN);
    expect(
      sampleSum(families, 'bridge_http_server_errors_total', { function: 'github-webhook', status: '503' }),
    ).toBe(1);
    expect(
      sampleSum(families, 'bridge_intake_received_total', {
        source: 'github',
        outcome: 'rejected',
        reason: 'unavailable',
      }),
    ).toBe(1);
  });

  it('takes only GET (and HEAD)', async () => {
    const res = await get({ authorization: `Bearer ${SCRAPE_TOKEN}` }, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('never writes the scrape token to the log', () => {
    expect(bridge.logs.join('\n')).not.toContain(SCRAPE_TOKEN);
  });
});
