import { afterEach, describe, expect, it } from 'vitest';
import type { FaultSpec as DriveFault } from '../support/loopback-drive/index.ts';
import type { FaultSpec as GithubFault } from '../support/loopback-github/index.ts';
import { assertEveryEditAccounted } from './support/invariant.ts';
import { type ResetProxy, startResetProxy } from './support/reset-proxy.ts';
import { type ResilientBridge, startResilientBridge } from './support/resilient-bridge.ts';
import { applyEdits, finished, TWO_SIDED_EDITS } from './support/scenario.ts';
import { startWorld, type World } from './support/world.ts';

const TREE_READ = { method: 'GET', path: /\/git\/trees\// };
const REF_UPDATE = { method: 'PATCH', path: /\/git\/refs\/heads(\/|%2F)main$/i };
const DRIVE_META = { method: 'GET', path: /^\/drive\/v2\/files\// };
const DRIVE_UPLOAD = { method: 'PUT', path: /^\/upload\/drive\/v2\/files\// };

describe('provider faults through the real clients: retried with backoff, the sync converges', () => {
  let world: World;
  let bridge: ResilientBridge | undefined;
  let proxy: ResetProxy | undefined;

  afterEach(async () => {
    await bridge?.close();
    await proxy?.close();
    await world.close();
    bridge = undefined;
    proxy = undefined;
  });

  async function syncThrough(setup: () => { remaining: () => number }) {
    const link = await bridge!.createLink();
    applyEdits(world, TWO_SIDED_EDITS);
    const fault = setup();
    const op = await finished(bridge!, await bridge!.queueSync(link.id));
    expect(fault.remaining()).toBe(0); // the fault was really hit
    expect(op).toMatchObject({ status: 'succeeded', outcome: 'synced' });
    expect(await assertEveryEditAccounted(world, bridge!, link.id, TWO_SIDED_EDITS)).toEqual([
      'both',
      'both',
    ]);
    expect(world.bridgeCommits()).toHaveLength(1);
    return op;
  }

  it.each<[string, GithubFault]>([
    ['500 on the tree read', { ...TREE_READ, status: 500, times: 2 }],
    ['502 on the tree read', { ...TREE_READ, status: 502, times: 2 }],
    ['503 on the ref update', { ...REF_UPDATE, status: 503, times: 2 }],
    [
      '403 secondary rate limit with Retry-After',
      { ...TREE_READ, kind: 'secondary-rate-limit', retryAfterSeconds: 1, times: 2 },
    ],
    [
      '403 secondary rate limit without Retry-After',
      { ...TREE_READ, kind: 'secondary-rate-limit', times: 1 },
    ],
    [
      '429 secondary rate limit with Retry-After',
      { ...REF_UPDATE, kind: 'secondary-rate-limit', status: 429, retryAfterSeconds: 2 },
    ],
    [
      '429 without a rate-limit body (the bus redelivers)',
      { ...TREE_READ, status: 429, retryAfterSeconds: 0, times: 3 },
    ],
    ['500 more times than the client retries (the bus redelivers)', { ...TREE_READ, status: 500, times: 4 }],
    ['a slow answer past the request timeout', { ...TREE_READ, delayMs: 1_500, times: 1 }],
    ['a ref update that lands but answers too late', { ...REF_UPDATE, delayMs: 1_500, times: 1 }],
  ])('GitHub: %s', async (_name, spec) => {
    world = await startWorld();
    bridge = await startResilientBridge(world, { resilience: { requestTimeoutMs: 500 } });
    await syncThrough(() => world.github.injectFault(spec));
    world.github.assertValid();
  });

  it.each<[string, DriveFault]>([
    ['500 on the metadata read', { ...DRIVE_META, status: 500, times: 2 }],
    ['503 on the upload', { ...DRIVE_UPLOAD, status: 503, times: 2 }],
    ['429 rateLimitExceeded', { ...DRIVE_META, status: 429, times: 2 }],
    [
      '403 userRateLimitExceeded (the bus redelivers)',
      { ...DRIVE_META, status: 403, reason: 'userRateLimitExceeded', times: 2 },
    ],
    ['a slow answer under the deadline', { ...DRIVE_META, delayMs: 200, times: 1 }],
    ['no answer before the call deadline (the bus redelivers)', { ...DRIVE_META, delayMs: 2_500, times: 1 }],
  ])('Drive: %s', async (_name, spec) => {
    world = await startWorld();
    bridge = await startResilientBridge(world, { resilience: { callDeadlineMs: 1_000 } });
    await syncThrough(() => {
      const handle = world.drive.injectFault(spec);
      return { remaining: () => handle.remaining() };
    });
    expect(world.drive.schemaErrors).toEqual([]);
  });

  it.each([
    ['GitHub', 'GITHUB_API_URL'],
    ['Drive', 'DRIVE_API_ROOT_URL'],
  ] as const)('%s: connection resets are retried', async (_name, variable) => {
    world = await startWorld();
    proxy = await startResetProxy(world.env[variable]!);
    world.env[variable] = proxy.url;
    bridge = await startResilientBridge(world);
    const reset = proxy;
    await syncThrough(() => {
      reset.resetNext(2);
      return { remaining: () => (reset.resets() >= 2 ? 0 : 1) };
    });
  });
});
