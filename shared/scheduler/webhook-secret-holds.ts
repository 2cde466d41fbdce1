import type { AppContext } from '../context/index.ts';
import { allLinks, type Link } from '../records/index.ts';
import { MANAGED_HOOK_STATES, signsWith } from './repo-hook-secrets.ts';

/** At most this many lines say why the older versions stay (a rotation record stays small). */
const MAX_LINES = 20;

function holdOf(link: Pick<Link, 'webhook'>, newest: string): string | undefined {
  const webhook = link.webhook;
  if (!webhook) return 'its webhook has not been checked yet (the hourly renewal checks it)';
  if (webhook.state === 'not-needed') return undefined;
  if (webhook.state === 'manual') {
    return 'its webhook is kept by hand: once a person has set the new secret on it, the operator disables the old version';
  }
  if (webhook.state === 'failed') return 'its webhook could not be checked (the hourly renewal tries again)';
  if (MANAGED_HOOK_STATES.has(webhook.state) && signsWith(webhook, newest)) return undefined;
  return webhook.secret === 'previous'
    ? 'setting the new secret on its webhook failed (the link says why; the hourly renewal tries again)'
    : 'its webhook has not been given the newest secret yet';
}

/**
 * Why the webhook secret versions older than `newest` must stay enabled: every link's hook must be
 * known to sign with the newest version (a hook the bridge manages and has updated) or need none (a
 * GitHub App, a local repository). A hook kept by hand, one not checked, and one whose update failed
 * each hold them, since GitHub may still sign with an older one. One line per repository and
 * reason (no secrets); empty when nothing holds them.
 */
export function webhookSecretHolds(
  links: ReadonlyArray<Pick<Link, 'id' | 'repo' | 'webhook'>>,
  newest: string,
): string[] {
  const grouped = new Map<string, { repo: string; why: string; ids: string[] }>();
  for (const link of links) {
    const why = holdOf(link, newest);
    if (!why) continue;
    const key = `${link.repo}\n${why}`;
    const entry = grouped.get(key) ?? { repo: link.repo, why, ids: [] };
    entry.ids.push(link.id);
    grouped.set(key, entry);
  }
  const lines = [...grouped.values()].map((g) => {
    const ids =
      g.ids.length > 5 ? `${g.ids.slice(0, 5).join(', ')} and ${g.ids.length - 5} more` : g.ids.join(', ');
    return `${g.repo} (${g.ids.length === 1 ? 'link' : 'links'} ${ids}): ${g.why}`;
  });
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more`];
}

/** webhookSecretHolds over every stored link. */
export async function storedWebhookSecretHolds(
  ctx: Pick<AppContext, 'state'>,
  newest: string,
): Promise<string[]> {
  return webhookSecretHolds(
    (await allLinks(ctx.state)).map((d) => d.data),
    newest,
  );
}
