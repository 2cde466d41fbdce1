import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../shared/adapters/local/index.ts';
import { linkFor, localSides, openConflictOn, type TenantLink } from '../api/support.ts';
import { TEST_SECRET, webhookDelivery } from '../ingress/support/webhook-delivery.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { runCli } from './support.ts';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('bridge CLI against a real server', () => {
  let bridge: TestBridge;
  let admin: Record<string, string>;
  let tenant: Record<string, string>;
  let keyId: string;
  /** `sync --wait` polls; between polls the test waits for the bus instead of a timer. */
  const io = () => ({ sleep: () => bridge.idle() });
  const cli = (argv: string[], env = tenant) => runCli(argv, env, io());

  beforeAll(async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: TEST_SECRET });
    admin = { BRIDGE_URL: bridge.url, BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN };
    const created = await runCli(
      ['keys', 'create', '--tenant', 'acme', '--name', 'cli test', '--json'],
      admin,
    );
    expect(created.code, created.err).toBe(0);
    const key = created.json<{ id: string; key: string; tenant: string }>();
    expect(key).toMatchObject({
      tenant: 'acme',
      id: expect.any(String),
      key: expect.stringMatching(/^brk_/),
    });
    keyId = key.id;
    tenant = { BRIDGE_URL: bridge.url, BRIDGE_TOKEN: key.key };
    // The test's repositories and designs live in the bridge's temp dir: grant it to acme.
    const granted = await runCli(['grants', 'add', 'acme', '--local-path', bridge.dir], admin);
    expect(granted, granted.err).toMatchObject({
      code: 0,
      out: `granted local-path ${bridge.dir} for tenant acme\n`,
    });
  });
  afterAll(async () => {
    await bridge?.close();
  });

  describe('links', () => {
    let linkId: string;

    it('link add creates a link (--json parseable, table for people)', async () => {
      const sides = await localSides(bridge);
      const res = await cli([
        'link',
        'add',
        '--repo',
        sides.repo,
        '--design',
        sides.design,
        '--direct',
        '--json',
      ]);
      expect(res.code, res.err).toBe(0);
      const link = res.json<{ id: string; tenant: string; policy: { writes: string } }>();
      expect(link).toMatchObject({
        id: expect.stringMatching(/^lnk_/),
        tenant: 'acme',
        policy: { writes: 'direct' },
      });
      linkId = link.id;
      await bridge.idle();

      const human = await cli([
        'link',
        'add',
        '--repo',
        sides.repo,
        '--design',
        sides.design,
        '--branch',
        'main',
      ]);
      expect(human.code, human.err).toBe(0);
      expect(human.out).toMatch(/^created link lnk_\w+ \(file:\/\/.+@main ⇄ file:\/\/.+\)\n$/);
      await bridge.idle();
    });

    it('link list and status show the tenant’s links', async () => {
      const json = await cli(['link', 'list', '--json']);
      expect(json.code).toBe(0);
      const ids = json.json<{ items: Array<{ id: string }> }>().items.map((l) => l.id);
      expect(ids).toContain(linkId);
      expect(ids).toHaveLength(2);
      const table = await cli(['link', 'ls']);
      expect(table.out.split('\n')[0]).toMatch(/^ID\s+STATUS\s+REPO\s+BRANCH\s+DESIGN\s+OPENCONFLICTS$/);
      expect(table.out).toContain(linkId);
      const status = await cli(['status']);
      expect(status.out).toContain(linkId);
      const one = await cli(['status', linkId, '--json']);
      expect(one.json()).toMatchObject({ linkId, status: 'synced' });
    });

    it('link show prints the link; an unknown or foreign link exits 4', async () => {
      const shown = await cli(['link', 'show', linkId]);
      expect(shown.code).toBe(0);
      expect(shown.out).toContain(`id: ${linkId}\n`);
      expect(shown.out).toContain('status: synced\n');
      expect((await cli(['link', 'show', linkId, '--json'])).json()).toMatchObject({ id: linkId });
      const missing = await cli(['link', 'show', 'lnk_nope']);
      expect(missing.code).toBe(4);
      expect(missing.err).toContain('not found');
      expect((await cli(['link', 'show', linkId], admin)).code).toBe(4);
    });

    it('sync queues; sync --wait prints progress and exits 0 when it succeeds', async () => {
      const queued = await cli(['sync', linkId]);
      expect(queued.code).toBe(0);
      expect(queued.out).toMatch(/^queued operation op_\w+\n$/);
      await bridge.idle();

      const waited = await cli(['sync', linkId, '--wait', '--direction', 'design-to-definitions']);
      expect(waited.code, waited.err).toBe(0);
      expect(waited.out).toMatch(/^succeeded \(no-changes\)\n$/);
      const progress = waited.err.split('\n').filter(Boolean);
      expect(progress.length).toBeGreaterThan(0);
      for (const line of progress) expect(line).toMatch(/^ {2}… \S/);
      expect(new Set(progress).size).toBe(progress.length);

      const json = await cli(['sync', linkId, '--wait', '--json']);
      expect(json.code).toBe(0);
      expect(json.err).toBe('');
      expect(json.json()).toMatchObject({ status: 'succeeded', linkId, trigger: 'api' });
    });

    it('op shows one operation', async () => {
      const queued = await cli(['sync', linkId, '--json']);
      const { operationId } = queued.json<{ operationId: string }>();
      await bridge.idle();
      const op = await cli(['op', operationId, '--json']);
      expect(op.json()).toMatchObject({ id: operationId, status: 'succeeded' });
      expect((await cli(['op', operationId])).out).toContain(operationId);
    });

    it('sync --wait exits 5 when the sync fails', async () => {
      const link = await linkFor(bridge, tenant.BRIDGE_TOKEN);
      await rm(link.repoDir, { recursive: true, force: true });
      const res = await cli(['sync', link.id, '--wait']);
      expect(res.code).toBe(5);
      expect(res.out).toMatch(/^failed/);
    });

    it('link rm deletes (then show exits 4); drift on an unknown link exits 4', async () => {
      const rmRes = await cli(['link', 'rm', linkId]);
      expect(rmRes.code).toBe(0);
      expect(rmRes.out).toBe(`deleted link ${linkId}\n`);
      expect((await cli(['link', 'show', linkId])).code).toBe(4);
      expect((await cli(['link', 'rm', linkId])).code).toBe(4);
      expect((await cli(['drift', linkId])).code).toBe(4);
    });
  });

  describe('conflicts, resolve, drift', () => {
    let link: TenantLink;
    let conflictId: string;
    beforeAll(async () => {
      link = await linkFor(bridge, tenant.BRIDGE_TOKEN, { writes: 'direct', onConflict: 'manual' });
      conflictId = (await openConflictOn(bridge, link)).id;
    });

    it('conflicts lists the open ones with both sides', async () => {
      const json = await cli(['conflicts', link.id, '--json']);
      expect(json.json<{ items: Array<{ id: string }> }>().items.map((c) => c.id)).toEqual([conflictId]);
      const table = await cli(['conflicts', link.id]);
      expect(table.out).toContain(conflictId);
      expect(table.out).toMatch(/Application Core\s+Core \(design\)\s+Core \(repo\)\s+open/);
    });

    it('resolve settles it (0); resolving again exits 5 (409)', async () => {
      const res = await cli(['resolve', link.id, conflictId, '--take', 'value', '--value', '"Core"']);
      expect(res.code, res.err).toBe(0);
      expect(res.out).toMatch(new RegExp(`^resolved ${conflictId}; sync op_\\w+ queued\\n$`));
      await bridge.idle();
      const settled = await cli(['conflicts', link.id, '--state', 'settled', '--json']);
      expect(settled.json<{ items: Array<{ value: unknown }> }>().items).toEqual([
        expect.objectContaining({ id: conflictId, value: 'Core', resolution: 'value' }),
      ]);
      const again = await cli(['resolve', link.id, conflictId, '--take', 'design']);
      expect(again.code).toBe(5);
      expect(again.err).toContain('already settled');
    });

    it('drift prints the findings', async () => {
      const res = await cli(['drift', link.id, '--json']);
      expect(res.code).toBe(0);
      expect(res.json()).toHaveProperty('findings');
      expect((await cli(['drift', link.id])).code).toBe(0);
    });
  });

  describe('admin commands', () => {
    it('deliveries shows a webhook delivery; unknown exits 4; a tenant key exits 3', async () => {
      const delivery = webhookDelivery({ event: 'ping' });
      await fetch(`${bridge.url}/github/webhook`, {
        method: 'POST',
        headers: delivery.headers,
        body: new Uint8Array(delivery.body),
      });
      const res = await cli(['deliveries', delivery.deliveryId], admin);
      expect(res.code, res.err).toBe(0);
      expect(res.out).toContain(delivery.deliveryId);
      expect(res.out).toContain('ping');
      expect((await cli(['deliveries', 'nope'], admin)).code).toBe(4);
      const listed = await cli(['deliveries', '--outcome', 'published'], admin);
      expect(listed.code, listed.err).toBe(0);
      expect(listed.out).toContain(delivery.deliveryId);
      expect((await cli(['deliveries', '--outcome', 'lost'], admin)).code).toBe(2);
      expect((await cli(['deliveries', delivery.deliveryId])).code).toBe(3);
    });

    it('dead-letters lists and replays; replaying twice exits 4', async () => {
      const bus = new SqliteEventBus({
        file: `${bridge.dir}/data/bridge.sqlite`,
        retry: { maxAttempts: 1, minBackoffMs: 0, maxBackoffMs: 0 },
      });
      bus.subscribe('cli-poison', async () => {
        throw new Error('poison');
      });
      bus.start();
      await bus.publish('cli-poison', { n: 1 });
      await bus.idle();
      await bus.close();

      const list = await cli(['dead-letters', '--json'], admin);
      const [dead] = list.json<{ items: Array<{ id: string; topic: string }> }>().items;
      expect(dead?.topic).toBe('cli-poison');
      expect((await cli(['dead-letters'], admin)).out).toContain('cli-poison');
      const replay = await cli(['dead-letters', 'replay', dead?.id ?? ''], admin);
      expect(replay).toMatchObject({ code: 0, out: `replayed ${dead?.id}\n` });
      expect((await cli(['dead-letters', 'replay', dead?.id ?? ''], admin)).code).toBe(4);
      expect((await cli(['dead-letters'])).code).toBe(3);
    });

    it('keys list and revoke; a revoked key exits 3', async () => {
      const list = await cli(['keys', 'list', '--json'], admin);
      expect(list.json<{ items: Array<{ id: string }> }>().items.map((k) => k.id)).toContain(keyId);
      expect((await cli(['keys'], admin)).out).toContain(keyId);
      const temp = (await cli(['keys', 'create', '--tenant', 'temp', '--json'], admin)).json<{
        id: string;
        key: string;
      }>();
      const tempEnv = { BRIDGE_URL: bridge.url, BRIDGE_TOKEN: temp.key };
      expect((await cli(['link', 'list'], tempEnv)).code).toBe(0);
      const revoked = await cli(['keys', 'revoke', temp.id], admin);
      expect(revoked).toMatchObject({ code: 0, out: `revoked key ${temp.id}\n` });
      const refused = await cli(['link', 'list'], tempEnv);
      expect(refused.code).toBe(3);
      expect(refused.err).toContain('revoked');
      expect(refused.err).not.toContain(temp.key);
      expect((await cli(['keys', 'list'])).code).toBe(3);
    });

    it('keys create prints the key once for people', async () => {
      const res = await cli(['keys', 'create', '--tenant', 'people'], admin);
      expect(res.code).toBe(0);
      expect(res.out).toMatch(/^created key \w+ for tenant people\nbrk_\S+\n\(shown once: store it now\)\n$/);
    });
  });

  describe('exit codes', () => {
    it.each([
      [['link', 'list'], {}, 3, 'Missing bearer token'],
      [['link', 'list', '--token', 'wrong'], {}, 3, 'Invalid or revoked token'],
    ])('%j exits 3 (auth)', async (argv, extra, code, message) => {
      const res = await runCli(argv, { BRIDGE_URL: bridge.url, ...extra });
      expect(res.code).toBe(code);
      expect(res.err).toContain(message);
    });

    it('an unreachable server exits 6 with a hint', async () => {
      const port = await closedPort();
      const res = await runCli(['link', 'list'], {
        BRIDGE_URL: `http://127.0.0.1:${port}`,
        BRIDGE_TOKEN: 'x',
      });
      expect(res.code).toBe(6);
      expect(res.err).toContain('Cannot reach the bridge');
      expect(res.err).not.toContain('BRIDGE_TOKEN');
    });

    it('--url and PORT choose the server', async () => {
      const port = new URL(bridge.url).port;
      expect(
        (await runCli(['link', 'list', '--url', bridge.url], { BRIDGE_TOKEN: tenant.BRIDGE_TOKEN })).code,
      ).toBe(0);
      expect((await runCli(['link', 'list'], { PORT: port, BRIDGE_TOKEN: tenant.BRIDGE_TOKEN })).code).toBe(
        0,
      );
    });
  });
});
