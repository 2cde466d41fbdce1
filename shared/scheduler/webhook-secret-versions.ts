import type { AppContext } from '../context/index.ts';
import { SECRETS } from '../ports/index.ts';

/** How long a replaced webhook secret stays accepted (deliveries in flight, GitHub's own switch). */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Disables enabled webhook secret versions superseded for longer than the grace period; the newest
 * enabled version always stays. A version counts as superseded from the earliest creation time of
 * the enabled versions newer than it. Returns the versions disabled.
 */
export async function pruneWebhookSecretVersions(
  ctx: Pick<AppContext, 'secrets' | 'now' | 'logger'>,
  graceMs = WEBHOOK_SECRET_GRACE_MS,
): Promise<string[]> {
  const enabled = (await ctx.secrets.listVersions(SECRETS.githubWebhook)).filter(
    (v) => v.state === 'enabled',
  );
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
  return disabled;
}
