import type { AppContext } from '../context/index.ts';
import { assessHealth, deadLetterCheck, type HealthCheck, type HealthStatus } from '../domain/index.ts';
import { healthChanged, notify } from '../notifications/index.ts';
import { TOPICS } from '../ports/index.ts';
import { allLinks, type HealthChange, type Link, recordHealth } from '../records/index.ts';
import { type ProbeOptions, probeLink } from './probe-link.ts';

/** The log line of a change of status; Terraform's health alert matches this message. */
export const HEALTH_CHANGED = 'integration health changed';

export interface HealthJobOptions extends ProbeOptions {
  /** Links checked at once (default 4). */
  concurrency?: number;
  /** Most links one run checks (default 1000; the rest are reported as skipped). */
  maxLinks?: number;
  /** Test seam: the probe of one link. */
  probe?: (ctx: AppContext, link: Link) => Promise<HealthCheck[]>;
}

export interface HealthJobResult {
  checked: number;
  skipped: number;
  byStatus: Record<HealthStatus, number>;
  changes: number;
}

/**
 * The `health` scheduler job (every 5 minutes): checks every active link's integrations, records
 * each link's status, and logs each change of status once — at ERROR for unhealthy (the alert
 * policy's trigger), WARN for degraded, INFO for a recovery. Paused links are not checked. Dead
 * letters waiting for a link make it degraded.
 */
export async function runHealthJob(
  ctx: AppContext,
  options: HealthJobOptions = {},
): Promise<HealthJobResult> {
  const logger = ctx.logger.child({ component: 'health' });
  const probe = options.probe ?? ((c: AppContext, link: Link) => probeLink(c, link, options));
  const active = (await allLinks(ctx.state)).map((d) => d.data).filter((l) => l.status !== 'paused');
  const limit = options.maxLinks ?? 1000;
  const links = active.slice(0, limit);
  const result: HealthJobResult = {
    checked: 0,
    skipped: active.length - links.length,
    byStatus: { healthy: 0, degraded: 0, unhealthy: 0 },
    changes: 0,
  };
  if (result.skipped > 0)
    logger.warn('health job checked only the first links', { limit, skipped: result.skipped });

  const deadLetters = await deadLettersByLink(ctx);
  const checkOne = async (link: Link) => {
    const checks = [...(await probe(ctx, link))];
    if (deadLetters) checks.push(deadLetterCheck(deadLetters.get(link.id) ?? 0));
    const { status } = assessHealth(checks);
    const change = await recordHealth(ctx.state, {
      linkId: link.id,
      tenant: link.tenant,
      status,
      checks,
      checkedAt: ctx.now().toISOString(),
    });
    result.checked += 1;
    result.byStatus[status] += 1;
    if (change) {
      result.changes += 1;
      logChange(logger, change);
      await notify(ctx, healthChanged(link, change));
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < links.length) {
      const link = links[next++] as Link;
      await checkOne(link).catch((err: unknown) =>
        logger.warn('health of a link not recorded', { linkId: link.id, error: err }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, links.length) }, worker));
  return result;
}

/** Most dead letters read per run (on GCP a sample of each subscription). */
const MAX_DEAD_LETTERS = 500;

/**
 * Dead letters per link, from the messages' `linkId` attribute (sync requests and Drive changes
 * carry it; notifications are not a link's syncs). Undefined when there is no dead-letter queue to
 * read or it does not answer: the check is then left out rather than reported healthy.
 */
async function deadLettersByLink(ctx: AppContext): Promise<Map<string, number> | undefined> {
  if (!ctx.deadLetters) return undefined;
  try {
    const counts = new Map<string, number>();
    for (const d of await ctx.deadLetters.listDeadLetters({ limit: MAX_DEAD_LETTERS })) {
      const linkId = d.message.attributes.linkId;
      if (!linkId || d.topic === TOPICS.notifications) continue;
      counts.set(linkId, (counts.get(linkId) ?? 0) + 1);
    }
    return counts;
  } catch (err) {
    ctx.logger.warn('dead letters not read for the health job', { error: err });
    return undefined;
  }
}

function logChange(logger: AppContext['logger'], change: HealthChange): void {
  const fields = {
    linkId: change.linkId,
    tenant: change.tenant,
    status: change.to,
    previous: change.from,
    change: change.change,
    check: change.failing[0]?.check,
    reasons: change.failing.map((c) => `${c.check}: ${c.reason}`),
  };
  if (change.change === 'unhealthy') logger.error(HEALTH_CHANGED, fields);
  else if (change.change === 'degraded') logger.warn(HEALTH_CHANGED, fields);
  else logger.info(HEALTH_CHANGED, fields);
}
