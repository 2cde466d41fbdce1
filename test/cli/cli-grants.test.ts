import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSides } from '../api/support.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { runCli } from './support.ts';

/** A link of `token`'s tenant between a repository and a design created in `folder`; returns its id. */
async function linkIn(bridge: TestBridge, folder: string, token: string): Promise<string> {
  const sides = await localSides(bridge, undefined, undefined, folder);
  const res = await bridge.api<{ id: string }>(
    'POST',
    '/api/v1/links',
    { repo: sides.repo, design: sides.design, branch: 'main' },
    token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await bridge.idle();
  return res.body.id;
}

describe('bridge grants against a real server', () => {
  let bridge: TestBridge;
  let admin: Record<string, string>;
  let tenant: Record<string, string>;
  const cli = (argv: string[], env = tenant) => runCli(argv, env, { sleep: () => bridge.idle() });

  beforeAll(async () => {
    bridge = await startTestBridge();
    admin = { BRIDGE_URL: bridge.url, BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN };
    const key = (await cli(['keys', 'create', '--tenant', 'acme', '--json'], admin)).json<{ key: string }>();
    tenant = { BRIDGE_URL: bridge.url, BRIDGE_TOKEN: key.key };
    const granted = await cli(['grants', 'add', 'acme', '--local-path', bridge.dir], admin);
    expect(granted, granted.err).toMatchObject({
      code: 0,
      out: `granted local-path ${bridge.dir} for tenant acme\n`,
    });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('grants add, show, list and rm; refused lists a link whose grant was revoked; tenants exit 3', async () => {
    const added = await cli(['grants', 'add', 'acme', '--owner', 'Acme-Org', '--json'], admin);
    expect(added.code, added.err).toBe(0);
    expect(added.json()).toMatchObject({
      tenant: 'acme',
      grants: expect.arrayContaining([
        { kind: 'owner', value: 'acme-org', grantedBy: 'admin', grantedAt: expect.any(String) },
      ]),
    });
    expect((await cli(['grants', 'show', 'acme'], admin)).out).toMatch(/acme\s+owner\s+acme-org\s+admin/);
    expect((await cli(['grants'], admin)).out).toMatch(/acme\s+local-path\s+\S+\s+admin/);
    expect(await cli(['grants', 'rm', 'acme', '--owner', 'acme-org'], admin)).toMatchObject({
      code: 0,
      out: 'revoked owner acme-org for tenant acme\n',
    });
    expect((await cli(['grants', 'rm', 'acme', '--owner', 'acme-org'], admin)).code).toBe(4);
    expect((await cli(['grants', 'add', 'acme', '--owner', 'no/slash'], admin)).code).toBe(2);
    expect((await cli(['grants', 'add', 'acme'], admin)).code).toBe(2);
    expect((await cli(['grants', 'add', 'acme', '--owner', 'x'])).code).toBe(3);

    // A link in a folder granted on its own: revoking that grant makes it show up as refused.
    const folder = join(bridge.dir, 'lapsing');
    await mkdir(folder);
    expect((await cli(['grants', 'add', 'lapsing', '--local-path', folder], admin)).code).toBe(0);
    const key = (await cli(['keys', 'create', '--tenant', 'lapsing', '--json'], admin)).json<{
      key: string;
    }>();
    const lapsing = await linkIn(bridge, folder, key.key);
    expect(await cli(['grants', 'refused'], admin)).toMatchObject({ code: 0, out: '(none)\n' });
    expect((await cli(['grants', 'rm', 'lapsing', '--local-path', folder], admin)).code).toBe(0);
    const refused = await cli(['grants', 'refused'], admin);
    expect(refused.out).toContain(lapsing);
    expect(refused.out).toMatch(/lapsing\s+file:\S+\s+file:\S+\s+forbidden\s+Tenant lapsing may link local/);
    expect((await cli(['grants', 'refused'])).code).toBe(3);
  });

  it('grants add and rm Drive files and folders, ids kept exactly as given', async () => {
    expect(await cli(['grants', 'add', 'acme', '--drive-file', '1AbC_dEf-9'], admin)).toMatchObject({
      code: 0,
      out: 'granted drive-file 1AbC_dEf-9 for tenant acme\n',
    });
    expect(await cli(['grants', 'add', 'acme', '--drive-folder', '0BxYz'], admin)).toMatchObject({
      code: 0,
      out: 'granted drive-folder 0BxYz for tenant acme\n',
    });
    const shown = (await cli(['grants', 'show', 'acme'], admin)).out;
    expect(shown).toMatch(/acme\s+drive-file\s+1AbC_dEf-9\s+admin/);
    expect(shown).toMatch(/acme\s+drive-folder\s+0BxYz\s+admin/);
    expect(await cli(['grants', 'rm', 'acme', '--drive-file', '1AbC_dEf-9'], admin)).toMatchObject({
      code: 0,
      out: 'revoked drive-file 1AbC_dEf-9 for tenant acme\n',
    });
    // A URL is not an id: the answer says which part of it to give.
    const url = await cli(
      ['grants', 'add', 'acme', '--drive-file', 'https://drive.google.com/file/d/x'],
      admin,
    );
    expect(url.code).toBe(2);
    expect(url.err).toContain('/file/d/');
    expect((await cli(['grants', 'add', 'acme', '--drive-file', 'a', '--owner', 'b'], admin)).code).toBe(2);
  });
});
