import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SqliteStateStore } from '../../shared/adapters/local/index.ts';
import { ENCRYPTED_FIELDS, reencryptAll } from '../../shared/crypto/index.ts';
import { listChannels } from '../../shared/ingress/index.ts';
import { listSubscriptions } from '../../shared/notifications/index.ts';
import type { Query } from '../../shared/ports/index.ts';
import { allLinks, linksForRepo } from '../../shared/records/index.ts';
import { aiTierOf } from '../../shared/sync/change-summary.ts';
import { pendingSync } from '../../shared/sync/queue-sync.ts';
import { ADMIN_TOKEN, startTestBridge, type TestBridge } from '../support/bridge.ts';
import { createLocalLink, type LocalLink } from '../sync/support.ts';
import { readTerraformSources } from '../terraform/support/terraform-model.ts';
import {
  type CompositeIndex,
  describeShape,
  needsIndex,
  type QueryShape,
  serves,
  shapeOf,
} from './support/firestore-query-shapes.ts';
import { terraformIndexes } from './support/terraform-indexes.ts';

/*
 * Firestore's emulators answer every query, with or without the composite index production needs; a
 * missing index shows only in production, as FAILED_PRECONDITION. So this test records the query of
 * every StateStore query() and count() the bridge makes while it runs its code paths (on the local
 * SQLite store: the same calls reach FirestoreStateStore on GCP), turns each into what
 * FirestoreStateStore's query builder sends Firestore, and asks terraform/firestore.tf for an index
 * serving each shape that needs one. A call site in shared/ that the run did not reach fails the test,
 * so a new query cannot slip past it unchecked.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(ROOT, 'shared');

interface Recorded {
  collection: string;
  query: Query;
  /** `shared/…/file.ts:line` of every frame of the call stack in shared/. */
  sites: string[];
}

function stackSites(): string[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return [...stack.matchAll(/(\/[^\s():]+\.ts):(\d+):\d+/g)]
    .filter(([, file]) => file?.startsWith(SHARED) && !file.includes('/adapters/'))
    .map(([, file, line]) => `${relative(ROOT, file ?? '')}:${line}`);
}

/** Every line in shared/ (adapters aside) that calls query() or count() on a state store, or queryPage(). */
function callSites(): string[] {
  const sites: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'adapters' && entry.name !== 'dashboard') walk(path);
      } else if (entry.name.endsWith('.ts')) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((text, i) => {
            if (
              /\bstate\.(query|count)\s*[<(]|\bqueryPage\s*<[^>]*>\s*\(|\bqueryPage\s*\(/.test(text) &&
              !/function queryPage/.test(text)
            ) {
              sites.push(`${relative(ROOT, path)}:${i + 1}`);
            }
          });
      }
    }
  };
  walk(SHARED);
  return sites;
}

const recorded: Recorded[] = [];
let bridge: TestBridge;
let link: LocalLink;
let indexes: CompositeIndex[];

beforeAll(async () => {
  indexes = await terraformIndexes(readTerraformSources(join(ROOT, 'terraform')));
  const { query, count } = SqliteStateStore.prototype;
  vi.spyOn(SqliteStateStore.prototype, 'query').mockImplementation(function (
    this: SqliteStateStore,
    c,
    q = {},
  ) {
    recorded.push({ collection: c, query: q, sites: stackSites() });
    return query.call(this, c, q) as never;
  });
  vi.spyOn(SqliteStateStore.prototype, 'count').mockImplementation(function (
    this: SqliteStateStore,
    c,
    q = {},
  ) {
    recorded.push({ collection: c, query: { where: q.where ?? [] }, sites: stackSites() });
    return count.call(this, c, q);
  });
  bridge = await startTestBridge();
  link = await createLocalLink(bridge);
  await exerciseQueries();
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await bridge?.close();
});

/** Runs every code path that queries: the API's reads, a sync, the scheduler's walks. */
async function exerciseQueries(): Promise<void> {
  const answered: Array<[string, number]> = [];
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await bridge.api(method, path, body, token);
    answered.push([`${method} ${path}`, res.status]);
    return res;
  };
  const id = link.id;
  const key = await call('POST', '/api/v1/keys', { tenant: 'index-shapes' });
  const tenantKey = (key.body as { key: string }).key;

  const op = await link.sync();
  await call('GET', '/api/v1/links');
  await call('GET', `/api/v1/links/${id}/operations`);
  for (const state of ['', 'open']) {
    for (const kind of ['', 'field']) {
      for (const operationId of ['', op.id]) {
        const params = new URLSearchParams(Object.entries({ state, kind, operationId }).filter(([, v]) => v));
        await call('GET', `/api/v1/links/${id}/conflicts?${params}`);
      }
    }
  }
  await call('POST', `/api/v1/links/${id}/conflicts/resolve`, { take: 'design' });
  await call('POST', `/api/v1/links/${id}/conflicts/resolve`, { take: 'design', kind: 'field' });
  await call('GET', '/api/v1/stats');
  await call('GET', `/api/v1/stats?link=${id}`);
  await call('GET', '/api/v1/stats', undefined, tenantKey);
  await call('GET', `/api/v1/sync/history?link=${id}`);
  await call('POST', `/api/v1/sync/resolve-conflicts?link=${id}`, { take: 'design' });
  await call('GET', '/api/v1/health');
  await call('GET', '/api/v1/health', undefined, tenantKey);
  await call('GET', '/api/v1/deliveries');
  await call('GET', '/api/v1/deliveries?outcome=received');
  await call('GET', '/api/v1/deliveries/some-delivery');
  await call('GET', '/api/v1/keys');
  await call('GET', '/api/v1/keys?tenant=index-shapes');
  await call('GET', '/api/v1/grants');
  await call('GET', `/api/v1/health/history?link=${id}`);
  await call('POST', '/api/v1/notifications/subscriptions', {
    channel: 'github-comment',
    linkId: id,
    issue: 1,
  });
  await call('GET', '/api/v1/notifications/subscriptions');
  await call('GET', '/api/v1/ai/calls');
  await call('GET', '/api/v1/ai/quota-overrides');
  await call('GET', '/api/v1/ai/calls?tenant=index-shapes');
  await call('GET', '/api/v1/ai/calls', undefined, tenantKey);
  await call('GET', '/api/v1/ai/usage');
  await call('GET', '/api/v1/ai/usage?tenant=index-shapes&days=90');
  await call('GET', '/api/v1/ai/usage', undefined, tenantKey);
  // A scrape collects the gauges, which read the state store (channel expiry, drift per link).
  const scrape = await fetch(`${bridge.url}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  answered.push(['GET /metrics', scrape.status]);
  expect(await scrape.text()).toContain('bridge_drift_findings');
  await bridge.idle();

  const ctx = bridge.ctx;
  await linksForRepo(ctx.state, 'https://github.com/acme/architecture');
  await allLinks(ctx.state);
  await listChannels(ctx.state);
  await listChannels(ctx.state, { linkId: id });
  await listChannels(ctx.state, { expiringBefore: new Date() });
  await pendingSync(ctx, id);
  // The tier a tenant's change summaries are counted against (a sync asks only with a provider set).
  expect(await aiTierOf(ctx, 'index-shapes')).toBe('free');
  for (const { collection, field } of ENCRYPTED_FIELDS) await reencryptAll(ctx, collection, field);
  await listSubscriptions(ctx, undefined);

  const failed = answered.filter(([, status]) => status >= 500);
  expect(failed, 'a request failed, so its code path may not have run').toEqual([]);
}

describe('Firestore composite indexes (terraform/firestore.tf) for every query the bridge makes', () => {
  const shapes = (): Map<string, { shape: QueryShape; sites: Set<string> }> => {
    const out = new Map<string, { shape: QueryShape; sites: Set<string> }>();
    for (const r of recorded) {
      const shape = shapeOf(r.collection, r.query);
      if (!shape) continue;
      const entry = out.get(describeShape(shape)) ?? { shape, sites: new Set() };
      entry.sites.add(r.sites.slice(0, 2).join(' < ') || '(outside shared/)');
      out.set(describeShape(shape), entry);
    }
    return out;
  };
  const unserved = (available: CompositeIndex[]) =>
    [...shapes().values()]
      .filter(({ shape }) => needsIndex(shape) && !available.some((index) => serves(index, shape)))
      .map(({ shape, sites }) => `${describeShape(shape)} (from ${[...sites].join(', ')})`);

  it('reaches every call site of query(), count() and queryPage() in shared/', () => {
    const reached = new Set(recorded.flatMap((r) => r.sites));
    const sites = callSites();
    expect(sites.length).toBeGreaterThan(15);
    expect(sites.filter((site) => !reached.has(site))).toEqual([]);
  });

  it('has an index serving each query shape that needs one', () => {
    const needing = [...shapes().values()].filter(({ shape }) => needsIndex(shape));
    expect(needing.length).toBeGreaterThan(5);
    expect(unserved(indexes)).toEqual([]);
  });

  it('fails when any index a shape uses is removed', () => {
    const needing = [...shapes().values()].filter(({ shape }) => needsIndex(shape));
    const used = indexes.filter((index) => needing.some(({ shape }) => serves(index, shape)));
    expect(used.length).toBeGreaterThan(0);
    for (const index of used) {
      expect(unserved(indexes.filter((i) => i !== index)), `without ${index.name}`).not.toEqual([]);
    }
    const unused = indexes.filter((index) => !used.includes(index)).map((index) => index.name);
    console.info(
      `${recorded.length} queries recorded, ${shapes().size} shapes, ${callSites().length} call sites`,
    );
    // Kept, not required: equality-only queries are served by merging single-field indexes.
    if (unused.length > 0) console.info(`indexes no recorded query needs: ${unused.join(', ')}`);
  });
});
