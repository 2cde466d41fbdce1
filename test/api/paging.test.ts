import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBridge, type TestBridge } from '../support/bridge.ts';
import { localSides, tenantKey } from './support.ts';

interface Page {
  items: Array<{ id: string }>;
  nextPageToken?: string;
}

/** Follows nextPageToken from the first page to the last; returns each page's ids. */
async function walk(bridge: TestBridge, path: string, pageSize: number, token: string): Promise<string[][]> {
  const pages: string[][] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < 20; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const query = `pageSize=${pageSize}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    const res = await bridge.api<Page>('GET', `${path}${sep}${query}`, undefined, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res.body.items.map((item) => item.id));
    pageToken = res.body.nextPageToken;
    if (!pageToken) return pages;
  }
  throw new Error('paging did not end');
}

describe('paging through the API (pageSize, pageToken, nextPageToken)', () => {
  let bridge: TestBridge;
  let token: string;
  let linkIds: string[];
  beforeAll(async () => {
    bridge = await startTestBridge();
    token = (await tenantKey(bridge, 'paging')).key;
    const sides = await localSides(bridge);
    // Created at once, so several share a createdAt: ties must break on id, not repeat or vanish.
    const created = await Promise.all(
      Array.from({ length: 7 }, () =>
        bridge.api<{ id: string }>(
          'POST',
          '/api/v1/links',
          { repo: sides.repo, design: sides.design, branch: 'main', policy: { mode: 'report-only' } },
          token,
        ),
      ),
    );
    for (const res of created) expect(res.status).toBe(201);
    linkIds = created.map((res) => res.body.id);
    await bridge.idle();
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('links: every link exactly once over pages of 3; the last page has no nextPageToken', async () => {
    const pages = await walk(bridge, '/api/v1/links', 3, token);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat().sort()).toEqual([...linkIds].sort());
  });

  it('links: a page size that divides the total ends without an empty page', async () => {
    const extra = await tenantKey(bridge, 'paging-even');
    const sides = await localSides(bridge);
    for (let i = 0; i < 4; i++) {
      const body = {
        repo: sides.repo,
        design: sides.design,
        branch: 'main',
        policy: { mode: 'report-only' },
      };
      const res = await bridge.api('POST', '/api/v1/links', body, extra.key);
      expect(res.status).toBe(201);
    }
    await bridge.idle();
    expect((await walk(bridge, '/api/v1/links', 2, extra.key)).map((p) => p.length)).toEqual([2, 2]);
  });

  it('links: the default page is 20 and pageSize=100 takes all', async () => {
    const all = await bridge.api<Page>('GET', '/api/v1/links', undefined, token);
    expect(all.body.items).toHaveLength(7);
    expect(all.body.nextPageToken).toBeUndefined();
    expect((await walk(bridge, '/api/v1/links', 100, token)).flat()).toHaveLength(7);
  });

  it('operations: newest first, every run exactly once over pages', async () => {
    const [linkId] = linkIds;
    const queued = await Promise.all(
      Array.from({ length: 6 }, () =>
        bridge.api<{ operationId: string }>('POST', `/api/v1/links/${linkId}/sync`, {}, token),
      ),
    );
    await bridge.idle();
    const path = `/api/v1/links/${linkId}/operations`;
    const pages = await walk(bridge, path, 2, token);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    const ids = pages.flat();
    expect(new Set(ids).size).toBe(7);
    expect(ids).toEqual(expect.arrayContaining(queued.map((q) => q.body.operationId)));
    const all = await bridge.api<{ items: Array<{ id: string; queuedAt: string; trigger: string }> }>(
      'GET',
      `${path}?pageSize=100`,
      undefined,
      token,
    );
    expect(all.body.items.map((o) => o.id)).toEqual(ids);
    const times = all.body.items.map((o) => o.queuedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.body.items.at(-1)?.trigger).toBe('link-created');
  });

  it('deleting the last item of a page does not break the next page', async () => {
    const extra = await tenantKey(bridge, 'paging-delete');
    const sides = await localSides(bridge);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const body = {
        repo: sides.repo,
        design: sides.design,
        branch: 'main',
        policy: { mode: 'report-only' },
      };
      const res = await bridge.api<{ id: string }>('POST', '/api/v1/links', body, extra.key);
      ids.push(res.body.id);
    }
    await bridge.idle();
    const first = await bridge.api<Page>('GET', '/api/v1/links?pageSize=2', undefined, extra.key);
    const gone = first.body.items.at(-1)?.id ?? '';
    expect((await bridge.api('DELETE', `/api/v1/links/${gone}`, undefined, extra.key)).status).toBe(204);
    const next = await bridge.api<Page>(
      'GET',
      `/api/v1/links?pageSize=10&pageToken=${encodeURIComponent(first.body.nextPageToken ?? '')}`,
      undefined,
      extra.key,
    );
    expect(next.status).toBe(200);
    const seen = [...first.body.items.map((l) => l.id), ...next.body.items.map((l) => l.id)];
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('a page token that is not one of ours is a 400 naming pageToken', async () => {
    const res = await bridge.api<{ error: { message: string } }>(
      'GET',
      '/api/v1/links?pageToken=no-such-link',
      undefined,
      token,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('pageToken');
  });

  it('a page of another link’s operations never leaks into this link’s pages', async () => {
    const [, second] = linkIds;
    const pages = await walk(bridge, `/api/v1/links/${second}/operations`, 5, token);
    expect(pages.flat()).toHaveLength(1);
  });
});
