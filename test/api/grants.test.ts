import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantGrants } from '../../shared/access/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { expectError, raw, tenantKey } from './support.ts';

describe('grants API (admin)', () => {
  let bridge: TestBridge;
  let tenant: string;
  beforeAll(async () => {
    bridge = await startTestBridge();
    tenant = (await tenantKey(bridge, 'globex')).key;
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const grantPath = (t: string, kind: string, value: string) =>
    `/api/v1/tenants/${t}/grants/${kind}/${encodeURIComponent(value)}`;

  it('grants once (201, then 200), records who and when, and revokes (200, then 404)', async () => {
    const first = await bridge.api<TenantGrants>('PUT', grantPath('initech', 'owners', 'Initech-Labs'));
    expect(first.status).toBe(201);
    expect(first.body.grants).toEqual([
      { kind: 'owner', value: 'initech-labs', grantedBy: 'admin', grantedAt: expect.any(String) },
    ]);
    expect((await bridge.api('PUT', grantPath('initech', 'owners', 'initech-labs'))).status).toBe(200);
    expect((await bridge.api('PUT', grantPath('initech', 'installations', '4242'))).status).toBe(201);
    expect(
      (await bridge.api('PUT', grantPath('initech', 'local-paths', '/srv/bridge/initech/'))).status,
    ).toBe(201);
    // Drive ids are case-sensitive: kept as given, and another case is another grant.
    expect((await bridge.api('PUT', grantPath('initech', 'drive-files', '1AbC_dEf-9'))).status).toBe(201);
    expect((await bridge.api('PUT', grantPath('initech', 'drive-files', '1abc_def-9'))).status).toBe(201);
    expect((await bridge.api('PUT', grantPath('initech', 'drive-folders', '0BxYz'))).status).toBe(201);
    const shown = await bridge.api<TenantGrants>('GET', '/api/v1/tenants/initech/grants');
    expect(shown.body.grants.map((g) => `${g.kind}:${g.value}`)).toEqual([
      'owner:initech-labs',
      'installation:4242',
      'local-path:/srv/bridge/initech',
      'drive-file:1AbC_dEf-9',
      'drive-file:1abc_def-9',
      'drive-folder:0BxYz',
    ]);

    const revoked = await bridge.api<TenantGrants>('DELETE', grantPath('initech', 'installations', '4242'));
    expect(revoked.status).toBe(200);
    await bridge.api('DELETE', grantPath('initech', 'drive-files', '1abc_def-9'));
    const after = await bridge.api<TenantGrants>('GET', '/api/v1/tenants/initech/grants');
    expect(after.body.grants.map((g) => g.kind)).toEqual([
      'owner',
      'local-path',
      'drive-file',
      'drive-folder',
    ]);
    expect(after.body.history.map((e) => `${e.action} ${e.kind} ${e.value} by ${e.by}`)).toEqual([
      'granted owner initech-labs by admin',
      'granted installation 4242 by admin',
      'granted local-path /srv/bridge/initech by admin',
      'granted drive-file 1AbC_dEf-9 by admin',
      'granted drive-file 1abc_def-9 by admin',
      'granted drive-folder 0BxYz by admin',
      'revoked installation 4242 by admin',
      'revoked drive-file 1abc_def-9 by admin',
    ]);
    for (const e of after.body.history) expect(Date.parse(e.at)).not.toBeNaN();
    expectError(await raw(bridge, 'DELETE', grantPath('initech', 'installations', '4242')), 404, 'not_found');

    const all = await bridge.api<{ items: TenantGrants[] }>('GET', '/api/v1/grants');
    expect(all.body.items.map((g) => g.tenant)).toEqual(expect.arrayContaining(['globex', 'initech']));
  });

  it('a tenant that was never granted anything has an empty record', async () => {
    const none = await bridge.api<TenantGrants>('GET', '/api/v1/tenants/nobody/grants');
    expect(none).toEqual({ status: 200, body: { tenant: 'nobody', grants: [], history: [] } });
  });

  it.each([
    ['an unknown kind', grantPath('initech', 'repos', 'acme'), 'kind'],
    ['an owner that is not a login', grantPath('initech', 'owners', 'acme/platform'), 'value'],
    ['an owner with a leading dash', grantPath('initech', 'owners', '-acme'), 'value'],
    ['an installation that is not a number', grantPath('initech', 'installations', '12ab'), 'value'],
    ['a relative local path', grantPath('initech', 'local-paths', 'srv/acme'), 'value'],
    ['a local path with ..', grantPath('initech', 'local-paths', '/srv/acme/../../etc'), 'value'],
    ['the file system root', grantPath('initech', 'local-paths', '/'), 'value'],
    ['a local path with a NUL', grantPath('initech', 'local-paths', '/srv/a\0b'), 'value'],
    ['a Drive file id with a slash', grantPath('initech', 'drive-files', 'abc/def'), 'value'],
    [
      'a Drive URL instead of its id',
      grantPath('initech', 'drive-files', 'https://drive.google.com/file/d/x'),
      'value',
    ],
    ['a Drive folder id with a dot', grantPath('initech', 'drive-folders', 'abc.def'), 'value'],
    ['a Drive id too long', grantPath('initech', 'drive-files', 'a'.repeat(201)), 'value'],
    ['a tenant name that is not one', grantPath('Not_A_Tenant', 'owners', 'acme'), 'tenant'],
    ['the admin tenant', grantPath('default', 'owners', 'acme'), 'tenant'],
  ])('%s is 400 naming %s', async (_name, path, field) => {
    const res = await raw(bridge, 'PUT', path);
    expect(expectError(res, 400, 'validation_failed')).toMatch(new RegExp(`^${field}: `));
  });

  it.each([
    ['GET', '/api/v1/grants'],
    ['GET', '/api/v1/tenants/globex/grants'],
    ['PUT', grantPath('globex', 'owners', 'victim-org')],
    ['DELETE', grantPath('globex', 'local-paths', '/tmp')],
    ['PUT', grantPath('globex', 'drive-files', 'victimDesign')],
    ['PUT', grantPath('globex', 'drive-folders', 'victimFolder')],
    ['GET', '/api/v1/access/refused-links'],
  ])('a tenant key cannot %s %s (403), not even for itself', async (method, path) => {
    expectError(await raw(bridge, method, path, { token: tenant }), 403, 'forbidden');
    const own = await bridge.api<TenantGrants>('GET', '/api/v1/tenants/globex/grants');
    expect(own.body.grants.map((g) => g.kind)).toEqual(['local-path']);
  });
});
