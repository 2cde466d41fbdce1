import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { definitionPath } from '../../shared/domain/index.ts';
import type { Link } from '../../shared/records/index.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { commitFiles, readFileAt } from '../support/local-git.ts';
import type { LoopbackDrive } from '../support/loopback-drive/index.ts';
import type { LoopbackGithub } from '../support/loopback-github/index.ts';
import { component, createLocalLink, startExampleLoopbacks } from '../sync/support.ts';
import { countOf, labelSets, sampleSum, scrape } from './scrape.ts';

const SECRET = 'metrics-webhook-secret';
const GITHUB_TOKEN = 'ghp_metricsloopbacktoken000000000000000';
const GOOGLE_TOKEN = 'ya29.metrics-loopback-token';
const FILE_ID = 'metrics-design-1';

describe('the figures move with what the bridge does (GET /metrics, parsed as Prometheus text)', () => {
  let bridge: TestBridge | undefined;
  let loopbacks: { github: LoopbackGithub; drive: LoopbackDrive } | undefined;

  afterEach(async () => {
    await bridge?.close();
    await loopbacks?.github.close();
    await loopbacks?.drive.close();
    bridge = undefined;
    loopbacks = undefined;
  });

  it('a sync that writes the other side: one run, its duration and its freshness', async () => {
    bridge = await startTestBridge({}, { logLevel: 'warn' });
    const link = await createLocalLink(bridge);
    const before = await scrape(bridge, ADMIN_TOKEN);
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (design)';
    await link.writeDesign(design);
    expect((await link.sync()).outcome).toBe('synced');

    const after = await scrape(bridge, ADMIN_TOKEN);
    const synced = { outcome: 'synced', trigger: 'api' };
    expect(
      sampleSum(after, 'bridge_sync_runs_total', synced) -
        sampleSum(before, 'bridge_sync_runs_total', synced),
    ).toBe(1);
    expect(countOf(after, 'bridge_sync_duration', { ...synced, direction: 'both' })).toBe(1);
    expect(countOf(after, 'bridge_sync_freshness', { trigger: 'api' })).toBe(1);
    expect(sampleSum(after, 'bridge_sync_runs_total', { outcome: 'failed' })).toBe(0);
    // The embedded queue's gauges: every topic, empty now that the bus is idle.
    expect(labelSets(after, 'bridge_queue_depth').map((l) => l.topic)).toContain('sync-requests');
    expect(sampleSum(after, 'bridge_queue_depth')).toBe(0);
    expect(sampleSum(after, 'bridge_dead_letters')).toBe(0);
    // No link or operation id in any label.
    expect(JSON.stringify(after)).not.toContain(link.id);
  });

  it('a conflict: opened by kind, settled by the policy that settled it', async () => {
    bridge = await startTestBridge({}, { logLevel: 'warn' });
    const link = await createLocalLink(bridge);
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (design)';
    await link.writeDesign(design);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path)) as string;
    await commitFiles(link.repoDir, 'main', {
      [path]: text.replace('name: Application Core', 'name: Core (repo)'),
    });
    expect((await link.sync()).conflicts).toBe(1);

    const after = await scrape(bridge, ADMIN_TOKEN);
    expect(sampleSum(after, 'bridge_conflicts_opened_total')).toBe(1);
    expect(labelSets(after, 'bridge_conflicts_opened_total')).toEqual([{ kind: expect.any(String) }]);
    expect(sampleSum(after, 'bridge_conflicts_settled_total', { policy: 'design' })).toBe(1);
  });

  it('a conflict left open by the manual policy: settled once, by a person, when resolved', async () => {
    bridge = await startTestBridge({}, { logLevel: 'warn' });
    const link = await createLocalLink(bridge, { policy: { writes: 'direct', onConflict: 'manual' } });
    const design = await link.readDesign();
    component(design, 'core').name = 'Core (design)';
    await link.writeDesign(design);
    const path = definitionPath('core');
    const text = (await readFileAt(link.repoDir, 'main', path)) as string;
    await commitFiles(link.repoDir, 'main', {
      [path]: text.replace('name: Application Core', 'name: Core (repo)'),
    });
    await link.sync();
    const opened = await scrape(bridge, ADMIN_TOKEN);
    expect(sampleSum(opened, 'bridge_conflicts_opened_total')).toBe(1);
    expect(sampleSum(opened, 'bridge_conflicts_settled_total')).toBe(0);

    const open = await bridge.api<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/links/${link.id}/conflicts?state=open`,
    );
    const resolved = await bridge.api(
      'POST',
      `/api/v1/links/${link.id}/conflicts/${open.body.items[0]?.id}/resolve`,
      {
        take: 'definitions',
      },
    );
    expect(resolved.status).toBe(200);
    await bridge.idle(); // the sync that writes the decision counts nothing more
    const settled = await scrape(bridge, ADMIN_TOKEN);
    expect(sampleSum(settled, 'bridge_conflicts_settled_total', { policy: 'manual' })).toBe(1);
    expect(sampleSum(settled, 'bridge_conflicts_settled_total')).toBe(1);
    expect(sampleSum(settled, 'bridge_conflicts_opened_total')).toBe(1);
  });

  it('intake: a forged webhook is rejected with its reason, a signed one accepted, a repeat a duplicate; a stray Drive notification rejected', async () => {
    bridge = await startTestBridge({ GITHUB_WEBHOOK_SECRET: SECRET }, { logLevel: 'warn' });
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 7 });
    const send = (delivery: string, signature: string) =>
      fetch(`${bridge?.url}/github/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': delivery,
          'x-hub-signature-256': signature,
        },
        body,
      });
    const good = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect((await send('d-1', `sha256=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await send('d-2', good)).status).toBe(202);
    expect((await send('d-2', good)).status).toBe(202);

    const after = await scrape(bridge, ADMIN_TOKEN);
    const github = { source: 'github' };
    expect(
      sampleSum(after, 'bridge_intake_received_total', {
        ...github,
        outcome: 'rejected',
        reason: 'unauthorized',
      }),
    ).toBe(1);
    expect(labelSets(after, 'bridge_intake_received_total')).toContainEqual({
      source: 'github',
      event: 'unverified',
      outcome: 'rejected',
      reason: 'unauthorized',
    });
    expect(
      sampleSum(after, 'bridge_intake_received_total', { ...github, event: 'ping', outcome: 'accepted' }),
    ).toBe(1);
    expect(
      sampleSum(after, 'bridge_intake_received_total', { ...github, event: 'ping', outcome: 'duplicate' }),
    ).toBe(1);

    // A Drive notification for a channel nobody opened: rejected with its reason.
    const drive = await fetch(`${bridge.url}/drive/notifications`, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': 'no-such-channel',
        'x-goog-channel-token': 'whatever',
        'x-goog-resource-state': 'change',
        'x-goog-message-number': '3',
        'x-goog-resource-id': 'res-1',
      },
    });
    expect(drive.status).toBe(404);
    const later = await scrape(bridge, ADMIN_TOKEN);
    const unknownChannel = { source: 'drive', event: 'unverified', outcome: 'rejected', reason: 'not_found' };
    expect(sampleSum(later, 'bridge_intake_received_total', unknownChannel)).toBe(1);
  });

  it('a 429 from GitHub is counted as a 4xx call on its templated route; headroom shows as gauges', async () => {
    loopbacks = await startExampleLoopbacks({
      githubTokens: [GITHUB_TOKEN],
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    });
    bridge = await startTestBridge(
      {
        GITHUB_TOKEN,
        GITHUB_API_URL: loopbacks.github.url,
        GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
        DRIVE_API_ROOT_URL: loopbacks.drive.url,
      },
      { logLevel: 'warn', resilience: { githubTuning: { rateLimitWaitUnitMs: 1, retryBaseMs: 5 } } },
    );
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    expect(created.status).toBe(201);
    await bridge.idle();
    const fault = loopbacks.github.injectFault({
      method: 'GET',
      path: /\/git\/trees\//,
      kind: 'secondary-rate-limit',
      status: 429,
      retryAfterSeconds: 1,
    });
    const queued = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${created.body.id}/sync`,
      {},
    );
    await bridge.idle();
    expect(fault.remaining()).toBe(0);
    const op = await bridge.api<{ status: string }>('GET', `/api/v1/operations/${queued.body.operationId}`);
    expect(op.body.status).toBe('succeeded');

    const after = await scrape(bridge, ADMIN_TOKEN);
    const trees = { provider: 'github', route: '/repos/{}/git/trees/{}' };
    expect(sampleSum(after, 'bridge_provider_calls_total', { ...trees, status_class: '4xx' })).toBe(1);
    expect(
      sampleSum(after, 'bridge_provider_calls_total', { ...trees, status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleSum(after, 'bridge_provider_calls_total', { provider: 'drive', status_class: '2xx' }),
    ).toBeGreaterThan(0);
    // Routes are templates: no owner, repository or file id in any of them.
    for (const labels of labelSets(after, 'bridge_provider_calls_total')) {
      expect(labels.route).not.toMatch(/acme|platform|metrics-design/);
    }
    const headroom = { provider: 'github', account: 'token', resource: 'core' };
    expect(sampleSum(after, 'bridge_provider_rate_limit_remaining', headroom)).toBeGreaterThan(0);
    const ratio = sampleSum(after, 'bridge_provider_rate_limit_ratio', headroom);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
  });

  it('a sync GitHub refuses for good (401) counts as failed, with a 4xx call and no synced run', async () => {
    loopbacks = await startExampleLoopbacks({
      githubTokens: [GITHUB_TOKEN],
      googleToken: GOOGLE_TOKEN,
      fileId: FILE_ID,
    });
    bridge = await startTestBridge(
      {
        GITHUB_TOKEN,
        GITHUB_API_URL: loopbacks.github.url,
        GOOGLE_ACCESS_TOKEN: GOOGLE_TOKEN,
        DRIVE_API_ROOT_URL: loopbacks.drive.url,
      },
      { logLevel: 'warn' },
    );
    const created = await bridge.api<Link>('POST', '/api/v1/links', {
      repo: 'https://github.com/acme/platform',
      design: `https://drive.google.com/file/d/${FILE_ID}/view`,
      policy: { writes: 'direct' },
    });
    await bridge.idle();
    const before = await scrape(bridge, ADMIN_TOKEN);
    loopbacks.github.injectFault({
      method: 'GET',
      path: /\/git\/trees\//,
      status: 401,
      times: Number.POSITIVE_INFINITY,
    });
    const queued = await bridge.api<{ operationId: string }>(
      'POST',
      `/api/v1/links/${created.body.id}/sync`,
      {},
    );
    await bridge.idle();
    const op = await bridge.api<{ status: string; error?: { code: string } }>(
      'GET',
      `/api/v1/operations/${queued.body.operationId}`,
    );
    expect(op.body).toMatchObject({ status: 'failed', error: { code: 'unauthorized' } });

    const after = await scrape(bridge, ADMIN_TOKEN);
    const failed = { outcome: 'failed', trigger: 'api' };
    const delta = (name: string, labels: Record<string, string>) =>
      sampleSum(after, name, labels) - sampleSum(before, name, labels);
    expect(delta('bridge_sync_runs_total', failed)).toBe(1);
    expect(delta('bridge_sync_runs_total', { outcome: 'synced' })).toBe(0);
    expect(countOf(after, 'bridge_sync_duration', { ...failed, direction: 'both' })).toBe(1);
    expect(
      delta('bridge_provider_calls_total', {
        provider: 'github',
        route: '/repos/{}/git/trees/{}',
        status_class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});
