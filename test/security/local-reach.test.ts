import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Link, Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { createBareRepo } from '../support/local-git.ts';
import { designOf, repoFiles, services } from '../sync/support.ts';
import { expectError, send } from './support.ts';

/**
 * Hostile input: a tenant links paths of this machine. file:// links read (and write) the server's
 * disk, so even with the operator's opt-in (BRIDGE_LOCAL_LINKS=any) a tenant reaches only inside the
 * folders the admin granted it, symlinks followed.
 */
describe('a tenant’s local reach is bounded by its grants', () => {
  let bridge: TestBridge;
  let key: string;
  let acmeDir: string;

  const linkBody = (repo: string, design: string) =>
    JSON.stringify({ repo: pathToFileURL(repo).href, design: pathToFileURL(design).href, branch: 'main' });
  const post = (body: string, token = key) =>
    send(bridge.url, 'POST', '/api/v1/links', {
      token,
      headers: { 'content-type': 'application/json' },
      body,
    });

  async function sides(folder: string, name: string): Promise<{ repo: string; design: string }> {
    await mkdir(folder, { recursive: true });
    const repo = join(folder, `${name}.git`);
    const design = join(folder, `${name}.json`);
    await createBareRepo(repo, repoFiles(services()));
    await writeFile(design, JSON.stringify(designOf(services())));
    return { repo, design };
  }

  beforeAll(async () => {
    bridge = await startTestBridge({ BRIDGE_LOCAL_LINKS: 'any' });
    key = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' })).body.key;
    acmeDir = join(bridge.dir, 'tenants', 'acme');
    await mkdir(acmeDir, { recursive: true });
    await bridge.api('PUT', `/api/v1/tenants/acme/grants/local-paths/${encodeURIComponent(acmeDir)}`);
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it.each([
    ['the machine’s own files', '/etc/hostname.git', '/etc/passwd'],
    ['the bridge’s data dir', '/DATA/bridge.sqlite', '/DATA/secrets.json'],
    ['another tenant’s folder', '/TENANTS/globex/repo.git', '/TENANTS/globex/design.json'],
    ['a sibling whose name starts alike', '/TENANTS/acme-evil/repo.git', '/TENANTS/acme-evil/d.json'],
  ])('%s: 403 naming the grant to ask for', async (_name, repo, design) => {
    const at = (p: string) =>
      p.replace('/DATA', join(bridge.dir, 'data')).replace('/TENANTS', join(bridge.dir, 'tenants'));
    const res = await post(linkBody(at(repo), at(design)));
    const message = expectError(res, 403, 'forbidden');
    expect(message).toContain('bridge grants add acme --local-path');
    expect(message).not.toContain('secrets');
  });

  it('the grant is recorded with who granted it', async () => {
    const grants = await bridge.api<{ grants: unknown[] }>('GET', '/api/v1/tenants/acme/grants');
    expect(grants.body.grants).toEqual([
      { kind: 'local-path', value: acmeDir, grantedBy: 'admin', grantedAt: expect.any(String) },
    ]);
  });

  it('a repository inside the grant with a design outside it is refused', async () => {
    const inside = await sides(acmeDir, 'half');
    expectError(await post(linkBody(inside.repo, '/etc/passwd')), 403, 'forbidden');
  });

  it('a symlink inside the granted folder pointing out of it is refused', async () => {
    const outside = await sides(join(bridge.dir, 'tenants', 'globex'), 'target');
    await symlink(join(bridge.dir, 'tenants', 'globex'), join(acmeDir, 'escape'));
    const res = await post(
      linkBody(join(acmeDir, 'escape', 'target.git'), join(acmeDir, 'escape', 'target.json')),
    );
    expectError(res, 403, 'forbidden');
    expect(outside.repo).toContain('globex');
  });

  it('inside the grant it links and syncs; once the grant is revoked the next sync is forbidden', async () => {
    const own = await sides(acmeDir, 'own');
    const created = await post(linkBody(own.repo, own.design));
    expect(created.status, created.text).toBe(201);
    const link = created.body as Link;
    await bridge.idle();

    const revoked = await bridge.api(
      'DELETE',
      `/api/v1/tenants/acme/grants/local-paths/${encodeURIComponent(acmeDir)}`,
    );
    expect(revoked.status).toBe(200);
    const queued = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${link.id}/sync`,
      {},
      key,
    );
    await bridge.idle();
    const op = await bridge.api<Operation>(
      'GET',
      `/api/v1/operations/${queued.body.operationId}`,
      undefined,
      key,
    );
    expect(op.body).toMatchObject({ status: 'failed', error: { code: 'forbidden' } });
    const after = await bridge.api<Link>('GET', `/api/v1/links/${link.id}`, undefined, key);
    expect(after.body.access).toMatchObject({ state: 'forbidden', reason: expect.stringMatching(/local/) });
  });

  it('the admin token links any local path (the operator’s own machine)', async () => {
    const own = await sides(join(bridge.dir, 'operator'), 'ops');
    const created = await send(bridge.url, 'POST', '/api/v1/links', {
      headers: { 'content-type': 'application/json' },
      body: linkBody(own.repo, own.design),
    });
    expect(created.status, created.text).toBe(201);
    await bridge.idle();
  });
});

describe('without the opt-in (BRIDGE_LOCAL_LINKS=admin) a grant does not open local paths', () => {
  it('a tenant with a local grant is still refused', async () => {
    const bridge = await startTestBridge({ BRIDGE_LOCAL_LINKS: 'admin' });
    try {
      const key = (await bridge.api<{ key: string }>('POST', '/api/v1/keys', { tenant: 'acme' })).body.key;
      await bridge.api('PUT', `/api/v1/tenants/acme/grants/local-paths/${encodeURIComponent(bridge.dir)}`);
      const res = await send(bridge.url, 'POST', '/api/v1/links', {
        token: key,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          repo: pathToFileURL(join(bridge.dir, 'r.git')).href,
          design: pathToFileURL(join(bridge.dir, 'd.json')).href,
        }),
      });
      expect(expectError(res, 403, 'forbidden')).toContain('BRIDGE_LOCAL_LINKS=any');
    } finally {
      await bridge.close();
    }
  });
});
