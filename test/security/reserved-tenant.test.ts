import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TENANT } from '../../shared/domain/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, send } from './support.ts';

/**
 * The admin token belongs to the reserved admin tenant. A key for a tenant of the same name would see
 * (and act on) the admin's links, so that name is reserved: no key can be created for it, and a key
 * record naming it (written before the name was reserved) does not authenticate.
 */
describe('the admin tenant’s name is reserved', () => {
  let bridge: TestBridge;
  let adminLink: string;

  beforeAll(async () => {
    bridge = await startTestBridge();
    const { linkFor } = await import('../api/support.ts');
    adminLink = (await linkFor(bridge)).id;
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([ADMIN_TENANT, ADMIN_TENANT.toUpperCase()])(
    'creating a key for tenant %s is 400',
    async (tenant) => {
      const res = await send(bridge.url, 'POST', '/api/v1/keys', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant }),
      });
      const message = expectError(res, 400, 'validation_failed');
      expect(message).toContain('tenant');
      const keys = await bridge.api<{ items: Array<{ tenant: string }> }>('GET', '/api/v1/keys');
      expect(keys.body.items.map((k) => k.tenant)).not.toContain(tenant);
    },
  );

  it('the message says the name is reserved', async () => {
    const res = await bridge.api<{ error: { message: string } }>('POST', '/api/v1/keys', {
      tenant: ADMIN_TENANT,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/reserved/);
  });

  it('a stored key record for the reserved name does not authenticate, and sees nothing', async () => {
    // A key created before the name was reserved: shaped like any other key, with its real hash.
    const { createApiKey } = await import('../../shared/api/api-keys.ts');
    const legit = await createApiKey(bridge.ctx.state, { tenant: 'acme', now: new Date() });
    const stored = await bridge.ctx.state.get(COLLECTIONS.apiKeys, legit.doc.id);
    await bridge.ctx.state.set(COLLECTIONS.apiKeys, legit.doc.id, { ...stored?.data, tenant: ADMIN_TENANT });

    const listed = await send(bridge.url, 'GET', '/api/v1/links', { token: legit.key });
    expectError(listed, 401, 'unauthorized');
    const one = await send(bridge.url, 'GET', `/api/v1/links/${adminLink}`, { token: legit.key });
    expectError(one, 401, 'unauthorized');
    expect(one.text).not.toContain(adminLink);
  });
});
