import type { AppContext } from '../context/index.ts';

import { type GithubAppClient, githubAppClient, githubAppError } from './github-app-client.ts';
import { claimMarker, markerId, releaseMarker } from './markers.ts';
import { SCHEDULER_COLLECTIONS } from './scheduler-collections.ts';
import { type HookDelivery, REDELIVERY_WINDOW_MS, selectRedeliveries } from './select-redeliveries.ts';

export interface RecoverySummary {
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  /** Delivery attempts listed within the window. */
  listed: number;
  /** Distinct events (guids) checked. */
  checked: number;
  /** Events with no successful attempt in the window. */
  failed: number;
  redelivered: number;
  /** Failed events already redelivered by an earlier run. */
  skipped: number;
  /** Failed events over the per-run limit, left to the next run. */
  deferred: number;
  errors: number;
  redeliveredGuids: string[];
  at: string;
}

export interface RecoverDeliveriesOptions {
  /** Most redeliveries asked per run (default 50). */
  maxRedeliveries?: number;
  /** Most pages of 100 deliveries read per run (default 30). */
  maxPages?: number;
  /** How long a redelivered guid is remembered (default the 3-day redelivery window): redelivered once. */
  markerTtlMs?: number;
  /** Default: built from config (GitHub App); null means "no GitHub App". */
  client?: GithubAppClient | null;
}

export const LAST_RECOVERY_ID = 'recovery-last';

const emptySummary = (at: string): RecoverySummary => ({
  status: 'ok',
  listed: 0,
  checked: 0,
  failed: 0,
  redelivered: 0,
  skipped: 0,
  deferred: 0,
  errors: 0,
  redeliveredGuids: [],
  at,
});

/** The last recovery run's summary (for the status API), or undefined before the first run. */
export async function lastRecovery(ctx: Pick<AppContext, 'state'>): Promise<RecoverySummary | undefined> {
  const doc = await ctx.state.get<RecoverySummary>(SCHEDULER_COLLECTIONS.runs, LAST_RECOVERY_ID);
  return doc?.data;
}

/**
 * GitHub never redelivers a failed webhook delivery by itself. Lists the App's hook deliveries of the
 * last 3 days and asks for one redelivery of each event none of whose attempts succeeded. Bounded
 * (pages, redeliveries), idempotent (a guid is redelivered once: a marker with a TTL), and recorded
 * (`lastRecovery`). A failing run is recorded and acknowledged: the next scheduled run is its retry.
 */
export async function recoverDeliveries(
  ctx: AppContext,
  options: RecoverDeliveriesOptions = {},
): Promise<RecoverySummary> {
  const summary = emptySummary(ctx.now().toISOString());
  const client = options.client === null ? undefined : (options.client ?? (await githubAppClient(ctx)));
  if (!client) {
    return save(ctx, { ...summary, status: 'skipped', reason: 'no GitHub App' });
  }
  const now = ctx.now();
  let deliveries: HookDelivery[];
  try {
    deliveries = await listRecent(client, now, options.maxPages ?? 30);
  } catch (err) {
    const appError = githubAppError(err, 'list hook deliveries');
    ctx.logger.error('delivery recovery could not list deliveries', {
      code: appError.code,
      error: appError.message,
    });
    return save(ctx, { ...summary, status: 'failed', reason: appError.message, errors: 1 });
  }

  const { guids, failed } = selectRedeliveries(deliveries, now);
  summary.listed = deliveries.length;
  summary.checked = guids;
  summary.failed = failed.length;
  const max = options.maxRedeliveries ?? 50;
  const ttl = options.markerTtlMs ?? REDELIVERY_WINDOW_MS;
  for (const delivery of failed) {
    if (summary.redelivered + summary.errors >= max) {
      summary.deferred += 1;
      continue;
    }
    const marker = markerId('redelivery', delivery.guid);
    if (!(await claimMarker(ctx, marker, { guid: delivery.guid, deliveryId: delivery.deliveryId }, ttl))) {
      summary.skipped += 1;
      continue;
    }
    try {
      await client.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
        delivery_id: delivery.deliveryId,
      });
      summary.redelivered += 1;
      summary.redeliveredGuids.push(delivery.guid);
    } catch (err) {
      summary.errors += 1;
      await releaseMarker(ctx, marker);
      const appError = githubAppError(err, 'redeliver a hook delivery');
      ctx.logger.warn('redelivery request failed', { guid: delivery.guid, error: appError.message });
      if (appError.code === 'unauthorized') break;
    }
  }
  ctx.logger.info('delivery recovery done', {
    checked: summary.checked,
    failed: summary.failed,
    redelivered: summary.redelivered,
    skipped: summary.skipped,
    deferred: summary.deferred,
    errors: summary.errors,
  });
  return save(ctx, summary);
}

/** Newest first, page by page (`cursor` from the Link header), until a page is all older than the window. */
async function listRecent(client: GithubAppClient, now: Date, maxPages: number): Promise<HookDelivery[]> {
  const since = now.getTime() - REDELIVERY_WINDOW_MS;
  const out: HookDelivery[] = [];
  let pages = 0;
  for await (const page of client.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })) {
    pages += 1;
    const items = page.data as HookDelivery[];
    out.push(...items);
    if (items.length === 0 || items.every((d) => Date.parse(d.delivered_at) < since)) break;
    if (pages >= maxPages) break;
  }
  return out;
}

async function save(ctx: AppContext, summary: RecoverySummary): Promise<RecoverySummary> {
  await ctx.state.set(SCHEDULER_COLLECTIONS.runs, LAST_RECOVERY_ID, { ...summary });
  return summary;
}
