import { checkLinkWebhook } from '../connections/index.ts';
import type { AppContext } from '../context/index.ts';
import { allLinks, type LinkWebhook, recordConnections } from '../records/index.ts';

export type WebhookCheckResult = Record<LinkWebhook['state'], number> & { checked: number };

/** States that need no retry: the webhook is there, or none is needed. */
const SETTLED = new Set<LinkWebhook['state']>(['created', 'exists', 'not-needed']);

/**
 * Part of the hourly renewal: tries again, for every link whose repository webhook failed, had to
 * be added by hand, or was never checked (links older than this check), and records what it finds
 * on the link. One check per repository and tenant per run. Never throws.
 */
export async function retryRepoWebhooks(ctx: AppContext): Promise<WebhookCheckResult> {
  const result: WebhookCheckResult = {
    checked: 0,
    created: 0,
    exists: 0,
    'not-needed': 0,
    manual: 0,
    failed: 0,
  };
  const seen = new Map<string, Promise<LinkWebhook>>();
  for (const { data: link } of await allLinks(ctx.state)) {
    if (link.webhook && SETTLED.has(link.webhook.state)) continue;
    const key = `${link.tenant}\n${link.repo}`;
    let check = seen.get(key);
    if (!check) {
      check = checkLinkWebhook(ctx, link);
      seen.set(key, check);
      result.checked += 1;
    }
    const webhook = await check;
    result[webhook.state] += 1;
    await recordConnections(ctx.state, link.id, { webhook }).catch((err: unknown) =>
      ctx.logger.warn('webhook state not recorded on the link', { linkId: link.id, error: err }),
    );
  }
  return result;
}
