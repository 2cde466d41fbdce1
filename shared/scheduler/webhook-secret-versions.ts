import type { AppContext } from '../context/index.ts';
import { SECRETS } from '../ports/index.ts';
import { storedWebhookSecretHolds } from './webhook-secret-holds.ts';

/** How long a replaced webhook secret stays accepted (deliveries in flight, GitHub's own switch). */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

export interface PruneResult {
  /** Versions disabled by this run. */
  disabled: string[];
  /** Why the older enabled versions stay, whatever their age (see webhookSecretHolds); empty: nothing holds them. */
  kept: string[];
}

/**
 * Disables enabled webhook secret versions superseded for longer than the grace period; the newest
 * enabled version always stays. A version counts as superseded from the earliest creation time of
 * the enabled versions newer than it. Nothing is disabled while a hook may still sign with an older
 * version (a hook kept by hand, one not updated yet): those reasons come back as `kept`.
 */
export async function pruneWebhookSecretVersions(
  ctx: Pick<AppContext, 'secrets' | 'now' | 'logger' | 'state'>,
  graceMs = WEBHOOK_SECRET_GRACE_MS,
): Promise<PruneResult> {
  const enabled = (await ctx.secrets.listVersions(SECRETS.githubWebhook)).filter(
    (v) => v.state === 'enabled',
  );
  const [newest] = enabled;
  if (!newest || enabled.length < 2) return { disabled: [], kept: [] };
  const kept = await storedWebhookSecretHolds(ctx, newest.version);
  if (kept.length > 0) {
    ctx.logger.info('older webhook secret versions kept: a hook may still sign with one', { because: kept });
    return { disabled: [], kept };
  }
  const now = ctx.now().getTime();
  const disabled: string[] = [];
  let supersededAt = Number.POSITIVE_INFINITY;
  for (const [i, version] of enabled.entries()) {
    if (i > 0 && now - supersededAt > graceMs) {
      try {
        await ctx.secrets.disableVersion(SECRETS.githubWebhook, version.version);
        disabled.push(version.version);
      } catch (err) {
        ctx.logger.warn('could not disable an old webhook secret version', {
          version: version.version,
          error: err,
        });
      }
    }
    const created = Date.parse(version.createTime);
    if (Number.isFinite(created)) supersededAt = Math.min(supersededAt, created);
  }
  if (disabled.length > 0) ctx.logger.info('old webhook secret versions disabled', { versions: disabled });
  return { disabled, kept: [] };
}
