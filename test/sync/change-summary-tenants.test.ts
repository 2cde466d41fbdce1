import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignExport } from '../../shared/domain/index.ts';
import type { AiCallAudit, Operation } from '../../shared/records/index.ts';
import { linkFor, type TenantLink, tenantKey } from '../api/support.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { type LoopbackAi, startLoopbackAi } from '../support/loopback-ai/index.ts';
import { component } from './support.ts';

/**
 * A tenant's change summaries go through its own AI quota and audit, and the cache is per tenant:
 * another tenant's identical changes are not answered from it.
 */
describe('change summaries of a tenant link', () => {
  let ai: LoopbackAi;
  let bridge: TestBridge;
  beforeAll(async () => {
    ai = await startLoopbackAi();
    ai.answer('openai', { text: JSON.stringify({ summary: 'Core is now 2.1.0, a minor version.' }) });
    bridge = await startTestBridge({
      OPENAI_API_KEY: 'sk-loopback-openai',
      OPENAI_BASE_URL: ai.baseUrls.openai,
    });
  });
  afterAll(async () => {
    await bridge?.close();
    await ai?.close();
  });

  async function editAndSync(link: TenantLink, edit: (d: DesignExport) => void): Promise<Operation> {
    const design = JSON.parse(await readFile(link.designFile, 'utf8')) as DesignExport;
    edit(design);
    await writeFile(link.designFile, `${JSON.stringify(design, null, 2)}\n`);
    const queued = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${link.id}/sync`,
      {},
      link.token,
    );
    expect(queued.status).toBe(202);
    await bridge.idle();
    return (
      await bridge.api<Operation>(
        'GET',
        `/api/v1/operations/${queued.body.operationId}`,
        undefined,
        link.token,
      )
    ).body;
  }
  const calls = () => ai.requests.length;

  it('is audited under the tenant, cached per tenant, and throttled by its quota', async () => {
    const acme = await linkFor(bridge, (await tenantKey(bridge, 'acme')).key);
    const first = await editAndSync(acme, (d) => {
      component(d, 'core').version = '2.1.0';
    });
    expect(first.summary).toMatchObject({ source: 'model', reason: 'generated' });
    expect(calls()).toBe(1);
    const audit = await bridge.api<{ items: AiCallAudit[] }>(
      'GET',
      '/api/v1/ai/calls',
      undefined,
      acme.token,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        tenant: 'acme',
        purpose: 'change-summary',
        keyId: 'bridge-sync',
        outcome: 'ok',
      }),
    ]);

    // Another tenant, the very same changes: its own call, not acme's cached paragraph.
    const beta = await linkFor(bridge, (await tenantKey(bridge, 'beta')).key);
    const theirs = await editAndSync(beta, (d) => {
      component(d, 'core').version = '2.1.0';
    });
    expect(theirs.summary).toMatchObject({ source: 'model', reason: 'generated' });
    expect(theirs.summary?.fingerprint).toBe(first.summary?.fingerprint);
    expect(calls()).toBe(2);

    // acme's quota used up (an admin override of 1 a day): the next summary is the deterministic one.
    const put = await bridge.api('PUT', '/api/v1/ai/quota-overrides/acme', {
      dailyRequests: 1,
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'test: quota reached',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const throttled = await editAndSync(acme, (d) => {
      component(d, 'auth').version = '1.0.1';
    });
    expect(throttled).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(throttled.summary).toMatchObject({ source: 'deterministic', reason: 'throttled' });
    expect(throttled.summary?.detail).toMatch(/AI quota used: 1 requests a day/);
    expect(throttled.summary?.text).toContain('version 1.0.0 to 1.0.1, a patch');
    expect(calls()).toBe(2);
  });
});
