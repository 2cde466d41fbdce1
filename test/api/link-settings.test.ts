import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Link, Operation } from '../../shared/records/index.ts';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { git } from '../support/local-git.ts';
import { component, createLocalLink } from '../sync/support.ts';
import { expectError, tenantKey } from './support.ts';

type Patched = Link & { changes: Record<string, { from: unknown; to: unknown }>; operationId?: string };

describe('PATCH /api/v1/links/{id}: policy, branch and mode can be changed', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startTestBridge();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  const history = async (id: string) =>
    (await bridge.api<{ items: Operation[] }>('GET', `/api/v1/links/${id}/operations?pageSize=100`)).body
      .items;

  it('merges the policy fields given over the current policy, says what changed, and records it in the history', async () => {
    const link = await createLocalLink(bridge, { policy: {} });
    const res = await bridge.api<Patched>('PATCH', `/api/v1/links/${link.id}`, {
      policy: { writes: 'direct', onConflict: 'manual' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.policy).toEqual({
      writes: 'direct',
      onConflict: 'manual',
      onRemoval: 'manual',
      versions: 'higher-wins',
      maxDeletePercent: 50,
      mode: 'sync',
    });
    expect(res.body.changes).toEqual({
      'policy.writes': { from: 'pull-request', to: 'direct' },
      'policy.onConflict': { from: 'design-wins', to: 'manual' },
    });
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.policy).toMatchObject({
      writes: 'direct',
      onConflict: 'manual',
    });
    const [entry] = await history(link.id);
    expect(entry).toMatchObject({
      id: res.body.operationId,
      trigger: 'settings',
      status: 'succeeded',
      outcome: 'settings-changed',
      actor: 'admin',
      settings: res.body.changes,
    });

    // The same values again change nothing and add nothing to the history.
    const before = (await history(link.id)).length;
    const again = await bridge.api<Patched>('PATCH', `/api/v1/links/${link.id}`, {
      policy: { writes: 'direct' },
    });
    expect(again.status).toBe(200);
    expect(again.body.changes).toEqual({});
    expect(again.body.operationId).toBeUndefined();
    expect((await history(link.id)).length).toBe(before);
  });

  it('mode report-only takes effect on the next sync; a tenant key is named as the actor', async () => {
    const key = await tenantKey(bridge, 'settings-tenant');
    const link = await createLocalLink(bridge, { policy: { writes: 'direct' } });
    // The link belongs to the admin tenant: the key sees a 404.
    expectError(
      await bridge.api('PATCH', `/api/v1/links/${link.id}`, { mode: 'report-only' }, key.key),
      404,
      'not_found',
    );
    const res = await bridge.api<Patched>('PATCH', `/api/v1/links/${link.id}`, { mode: 'report-only' });
    expect(res.body.changes).toEqual({ 'policy.mode': { from: 'sync', to: 'report-only' } });
    const design = await link.readDesign();
    component(design, 'core').version = '9.0.0';
    await link.writeDesign(design);
    expect(await link.sync()).toMatchObject({ status: 'succeeded', outcome: 'report-only' });
  });

  it('a branch change moves the link to that branch and forgets the old branch’s position', async () => {
    const link = await createLocalLink(bridge, { policy: { writes: 'direct' } });
    const before = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(before.positions.headSha).toMatch(/^[0-9a-f]{40}$/);
    await git(link.repoDir, ['branch', 'release', 'main']);
    const res = await bridge.api<Patched>('PATCH', `/api/v1/links/${link.id}`, { branch: 'release' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      branch: 'release',
      changes: { branch: { from: 'main', to: 'release' } },
    });
    expect(res.body.positions.headSha).toBeUndefined();
    const op = await link.sync();
    expect(op.status, JSON.stringify(op)).toBe('succeeded');
    expect((await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body.branch).toBe('release');
  });

  it.each([
    [{}, 'policy, branch or mode'],
    [{ policy: { yolo: true } }, 'policy'],
    [{ policy: { maxDeletePercent: 150 } }, 'policy.maxDeletePercent'],
    [{ policy: { writes: 'sometimes' } }, 'policy.writes'],
    [{ mode: 'paused' }, 'mode'],
    [{ mode: 'sync', policy: { mode: 'report-only' } }, 'mode'],
    [{ branch: '../main' }, 'branch'],
    [{ branch: 'no-such-branch' }, 'branch'],
    [{ repo: 'file:///elsewhere.git' }, 'repo'],
  ])('refuses %j (400 naming %s) and changes nothing', async (body, field) => {
    const link = await createLocalLink(bridge, { policy: { writes: 'direct' } });
    const res = await bridge.api<{ error: { message: string } }>('PATCH', `/api/v1/links/${link.id}`, body);
    expect(expectError(res, 400, 'validation_failed')).toContain(field);
    const after = (await bridge.api<Link>('GET', `/api/v1/links/${link.id}`)).body;
    expect(after).toMatchObject({
      branch: 'main',
      policy: { writes: 'direct', mode: 'sync', maxDeletePercent: 50 },
    });
  });

  it('an unknown link is a 404', async () => {
    expectError(await bridge.api('PATCH', '/api/v1/links/lnk_nope', { mode: 'sync' }), 404, 'not_found');
  });
});
