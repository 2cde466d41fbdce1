import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, raw, tenantKey } from '../api/support.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { summaryRequest } from './support.ts';

describe('an admin’s temporary AI quota override', () => {
  let loop: LoopbackAi;
  let bridge: TestBridge;
  let key: string;
  beforeAll(async () => {
    loop = await startLoopbackAi();
    bridge = await startTestBridge({
      OPENAI_API_KEY: 'sk-loopback-openai',
      OPENAI_BASE_URL: loop.baseUrls.openai,
    });
    key = (await tenantKey(bridge, 'acme')).key;
  });
  afterAll(async () => {
    await bridge?.close();
    await loop?.close();
  });

  const served = async (n: number) => {
    const ai = await bridge.ctx.ai();
    if (!ai) throw new Error('no gateway');
    let ok = 0;
    for (let i = 0; i < n; i++) {
      try {
        await ai.generate(summaryRequest({ tenant: 'acme', tier: 'free' }));
        ok++;
      } catch (err) {
        expect(err).toMatchObject({ code: 'rate_limited' });
      }
    }
    return ok;
  };
  const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

  it('raises a free tenant’s 10 a day to 12 until it ends, recorded with who granted it and why', async () => {
    const put = await bridge.api('PUT', '/api/v1/ai/quota-overrides/acme', {
      dailyRequests: 12,
      expiresAt: inHours(2),
      reason: 'demo day',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      tenant: 'acme',
      dailyRequests: 12,
      reason: 'demo day',
      grantedBy: expect.stringMatching(/^key /),
    });
    expect(await served(14)).toBe(12);
    const listed = await bridge.api<{ items: Array<{ tenant: string }> }>(
      'GET',
      '/api/v1/ai/quota-overrides',
    );
    expect(listed.body.items.map((o) => o.tenant)).toEqual(['acme']);
    expect(bridge.logs.some((l) => l.includes('"AI quota override granted"') && l.includes('demo day'))).toBe(
      true,
    );
  });

  it('removed, the tier’s quota applies again (12 already used today: refused)', async () => {
    expect((await bridge.api('DELETE', '/api/v1/ai/quota-overrides/acme')).status).toBe(204);
    expect(await served(1)).toBe(0);
    expectError(await raw(bridge, 'DELETE', '/api/v1/ai/quota-overrides/acme'), 404, 'not_found');
  });

  it('only the admin grants one; bad bodies are a 400', async () => {
    const body = { dailyRequests: 50, expiresAt: inHours(1), reason: 'please' };
    expectError(
      await raw(bridge, 'PUT', '/api/v1/ai/quota-overrides/acme', {
        token: key,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
      403,
      'forbidden',
    );
    for (const bad of [
      { ...body, expiresAt: inHours(-1) },
      { ...body, expiresAt: inHours(24 * 40) },
      { ...body, dailyRequests: 0 },
      { ...body, reason: '' },
      { ...body, extra: true },
    ]) {
      const res = await bridge.api('PUT', '/api/v1/ai/quota-overrides/acme', bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await bridge.api('PUT', '/api/v1/ai/quota-overrides/Not_A_Tenant', body)).status).toBe(400);
  });
});
