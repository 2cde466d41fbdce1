import { describe, expect, it } from 'vitest';
import { METRIC_NAMES, meteredFetch, providerRoute, statusClass } from '../../shared/metrics/index.ts';

describe('provider routes are templates with a bounded set of values', () => {
  it.each([
    ['/repos/acme/platform/git/trees/3f2a9c', '/repos/{}/git/trees/{}'],
    ['/repos/acme/platform/git/ref/heads/feature/deep/name', '/repos/{}/git/ref/heads/{}'],
    ['/repos/Other-Org/x.y/git/refs/heads/main', '/repos/{}/git/refs/heads/{}'],
    ['/repos/acme/platform/pulls/42', '/repos/{}/pulls/{}'],
    ['/repos/acme/platform/issues/7/comments', '/repos/{}/issues/{}/comments'],
    ['/repos/acme/platform/hooks/99/deliveries', '/repos/{}/hooks/{}/deliveries'],
    ['/app/installations/123/access_tokens', '/app/installations/{}/access_tokens'],
    ['/graphql', '/graphql'],
    ['/api/v3/repos/a/b/statuses/abc', '/api/v3/repos/{}/statuses/{}'],
    ['/drive/v2/files/1AbC-xyz_9', '/drive/v2/files/{}'],
    ['/upload/drive/v2/files/1AbC', '/upload/drive/v2/files/{}'],
    ['/drive/v3/changes/startPageToken', '/drive/v3/changes/startPageToken'],
    ['/drive/v3/channels/stop', '/drive/v3/channels/stop'],
    ['/', '/'],
  ])('%s → %s', (path, route) => {
    expect(providerRoute(path)).toBe(route);
  });

  it.each([
    [200, '2xx'],
    [304, '3xx'],
    [429, '4xx'],
    [503, '5xx'],
    [undefined, 'error'],
    [0, 'error'],
    [1000, 'error'],
  ])('status %s is class %s', (status, cls) => {
    expect(statusClass(status)).toBe(cls);
  });

  it('meteredFetch counts answers by route and status, and a failed request as no status', async () => {
    const seen: Array<[string, number | undefined]> = [];
    const answers = [new Response('', { status: 429 })];
    const fetch = meteredFetch(
      (route, status) => seen.push([route, status]),
      async () => {
        const next = answers.shift();
        if (!next) throw new TypeError('fetch failed');
        return next;
      },
    );
    expect((await fetch('https://api.github.com/repos/a/b/git/trees/1')).status).toBe(429);
    await expect(fetch(new URL('https://www.googleapis.com/drive/v2/files/x'))).rejects.toThrow(
      'fetch failed',
    );
    expect(seen).toEqual([
      ['/repos/{}/git/trees/{}', 429],
      ['/drive/v2/files/{}', undefined],
    ]);
  });
});

describe('instrument names are a contract (terraform/monitoring.tf and the dashboard use them)', () => {
  it('declares exactly these names', () => {
    expect(Object.values(METRIC_NAMES).sort()).toEqual(
      [
        'bridge.sync.duration',
        'bridge.sync.runs',
        'bridge.sync.freshness',
        'bridge.conflicts.opened',
        'bridge.conflicts.settled',
        'bridge.intake.received',
        'bridge.provider.calls',
        'bridge.provider.rate_limit.remaining',
        'bridge.provider.rate_limit.ratio',
        'bridge.queue.depth',
        'bridge.queue.oldest_age',
        'bridge.dead_letters',
        'bridge.drive.channel.expiry',
        'bridge.drift.findings',
        'bridge.http.server.errors',
        'bridge.ai.calls',
        'bridge.ai.cost',
        'bridge.ai.latency',
        'bridge.ai.tokens',
        'bridge.ai.provider.available',
        'bridge.ai.queue.depth',
        'bridge.ai.budget.used',
      ].sort(),
    );
  });
});
