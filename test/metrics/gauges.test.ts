import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalBackends } from '../../shared/adapters/local/index.ts';
import { assembleContext } from '../../shared/app/index.ts';
import { loadConfig } from '../../shared/config/index.ts';
import type { AppContext } from '../../shared/context/index.ts';
import { saveChannel } from '../../shared/ingress/channels.ts';
import { createLogger } from '../../shared/logging/index.ts';
import { createMetricsRuntime } from '../../shared/metrics/metrics-runtime.ts';
import { TOPICS } from '../../shared/ports/index.ts';
import { COLLECTIONS } from '../../shared/records/index.ts';
import { parseScrape, sampleSum } from './scrape.ts';

/**
 * The gauges are read at collection time from the context: the embedded queue (depth, oldest age,
 * dead letters per topic), the resilience kit's rate-limit headroom, the channels and the links'
 * drift in the state store. A real context on the embedded backends, its clock fixed.
 */
describe('gauges read the context at collection time', () => {
  let dir: string;
  let ctx: AppContext | undefined;
  const at = new Date('2026-12-06T12:00:00.000Z');

  afterEach(async () => {
    await ctx?.close();
    ctx = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function context(): Promise<AppContext> {
    dir = await mkdtemp(join(tmpdir(), 'bridge-gauges-'));
    const env = { BRIDGE_DATA_DIR: dir, BRIDGE_DEMO: 'false' };
    const logger = createLogger({ level: 'error' });
    const now = () => at;
    const backends = await createLocalBackends({
      file: join(dir, 'bridge.sqlite'),
      dataDir: dir,
      env,
      logger,
      now,
      retry: { maxAttempts: 1, minBackoffMs: 1, maxBackoffMs: 1 },
    });
    ctx = assembleContext(loadConfig(env), logger, now, backends, {
      metrics: createMetricsRuntime({ prometheus: true }),
    });
    return ctx;
  }

  const scrape = async (c: AppContext) => parseScrape((await c.metrics.prometheusText()) ?? '');

  it('a message that failed its only attempt shows as a dead letter of its topic', async () => {
    const c = await context();
    c.bus?.subscribe(TOPICS.syncRequests, async () => {
      throw new Error('handler down');
    });
    c.bus?.start();
    expect((await scrape(c)).find((f) => f.name === 'bridge_dead_letters')?.type).toBe('GAUGE');
    await c.publisher.publish(TOPICS.syncRequests, { linkId: 'lnk_1' });
    await c.bus?.idle();
    const after = await scrape(c);
    expect(sampleSum(after, 'bridge_dead_letters', { topic: TOPICS.syncRequests })).toBe(1);
    expect(sampleSum(after, 'bridge_dead_letters', { topic: TOPICS.githubEvents })).toBe(0);
    expect(sampleSum(after, 'bridge_queue_depth', { topic: TOPICS.syncRequests })).toBe(0);
  });

  it('a waiting message: depth 1 and its age from the publish time', async () => {
    const c = await context(); // nobody subscribed and the bus not started: the message waits
    await c.publisher.publish(TOPICS.githubEvents, { zen: 'x' });
    const after = await scrape(c);
    expect(sampleSum(after, 'bridge_queue_depth', { topic: TOPICS.githubEvents })).toBe(1);
    expect(
      sampleSum(after, 'bridge_queue_oldest_age', { topic: TOPICS.githubEvents }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('rate-limit headroom per account, the nearest channel expiry, drift summed over links', async () => {
    const c = await context();
    c.resilience.noteRateLimit('github:api.github.com/app-1/acme', {
      resource: 'core',
      limit: 5000,
      remaining: 400,
      resetAt: at.toISOString(),
    });
    for (const [id, hours] of [
      ['ch-late', 20],
      ['ch-soon', 2],
    ] as const) {
      await saveChannel(c.state, id, {
        linkId: 'lnk_1',
        token: 'channel-token',
        resourceId: 'r',
        kind: 'file',
        expiresAt: new Date(at.getTime() + hours * 3_600_000).toISOString(),
      });
    }
    await c.state.set(COLLECTIONS.links, 'lnk_1', {
      drift: { 'version-mismatch': 2, 'technology-mismatch': 1 },
    });
    await c.state.set(COLLECTIONS.links, 'lnk_2', { drift: { 'version-mismatch': 3 } });

    const after = await scrape(c);
    const account = { provider: 'github', account: 'app-1/acme', resource: 'core' };
    expect(sampleSum(after, 'bridge_provider_rate_limit_remaining', account)).toBe(400);
    expect(sampleSum(after, 'bridge_provider_rate_limit_ratio', account)).toBeCloseTo(0.08);
    expect(sampleSum(after, 'bridge_drive_channel_expiry')).toBe(2 * 3600);
    expect(sampleSum(after, 'bridge_drift_findings', { kind: 'version-mismatch' })).toBe(5);
    expect(sampleSum(after, 'bridge_drift_findings', { kind: 'technology-mismatch' })).toBe(1);
  });

  it('a source that fails leaves the others standing (a scrape never fails on a gauge)', async () => {
    const c = await context();
    c.resilience.noteRateLimit('github:api.github.com/token', {
      resource: 'core',
      limit: 10,
      remaining: 10,
      resetAt: '',
    });
    const query = c.state.query.bind(c.state);
    c.state.query = async (collection, q) => {
      if (collection === COLLECTIONS.links) throw new Error('state store down');
      return query(collection, q);
    };
    const after = await scrape(c);
    expect(sampleSum(after, 'bridge_provider_rate_limit_ratio', { account: 'token' })).toBe(1);
    expect(after.find((f) => f.name === 'bridge_drift_findings')).toBeUndefined();
  });
});
