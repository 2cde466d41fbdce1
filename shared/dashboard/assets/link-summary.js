// @ts-check
import { fill, h, safeLink, time } from './dom.js';
import { statusBadge } from './links-view.js';

/** @typedef {import('../api-types.ts').Link} Link */

/**
 * A link's facts: status, both sides, policy, last sync, access, proposals, webhook and channel.
 * @param {HTMLElement} container
 * @param {Link} link
 */
export function renderLinkSummary(container, link) {
  const policy = link.policy ?? {};
  /**
   * @param {string} label
   * @param {import('./dom.js').Child} value
   */
  const fact = (label, value) => [h('dt', {}, label), h('dd', {}, value)];
  fill(
    container,
    h(
      'dl',
      { class: 'facts inline' },
      fact('Status', statusBadge(link.status)),
      fact('Repository', [safeLink(link.repo), ` @ ${link.branch}`]),
      fact('Design', safeLink(link.design)),
      fact(
        'Policy',
        `${policy.writes ?? '—'} writes, ${policy.onConflict ?? '—'} on conflict, mode ${policy.mode ?? '—'}`,
      ),
      fact(
        'Last sync',
        link.lastSync
          ? [
              time(link.lastSync.at),
              ` — ${link.lastSync.result}`,
              link.lastSync.error ? ` (${link.lastSync.error})` : '',
            ]
          : 'never',
      ),
      link.access
        ? fact('Access', [
            link.access.state === 'reconnect_needed' ? 'reconnect needed' : 'forbidden',
            ' since ',
            time(link.access.since),
            `: ${link.access.reason}`,
          ])
        : null,
      link.pendingPullRequest
        ? fact('Proposed in', [safeLink(link.pendingPullRequest.url), ' (waiting for review)'])
        : null,
      link.declinedProposal
        ? fact('Declined', [
            safeLink(link.declinedProposal.url),
            ' was closed without merging on ',
            time(link.declinedProposal.at),
            '; the same changes are not proposed again',
          ])
        : null,
      link.webhook
        ? fact('Webhook', [
            h('span', { class: 'tag', 'data-webhook': link.webhook.state }, link.webhook.state),
            ` ${link.webhook.message}`,
          ])
        : null,
      link.driveChannel
        ? fact('Drive channel', [
            h('span', { class: 'tag' }, link.driveChannel.state),
            ` ${link.driveChannel.message}`,
          ])
        : null,
      link.positions?.headSha ? fact('Head', h('code', {}, link.positions.headSha.slice(0, 12))) : null,
      link.positions?.designRevision ? fact('Design revision', link.positions.designRevision) : null,
    ),
  );
}
