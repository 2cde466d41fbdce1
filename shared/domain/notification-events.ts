import { createHmac } from 'node:crypto';

/**
 * Notifications: what happened to a link, said so a person can act on it (in the spirit of Argo CD's
 * trigger catalogue). Pure: the event, its once-per key and its rendering per channel. Delivering
 * them is shared/notifications' job.
 */
export const NOTIFICATION_TRIGGERS = [
  'sync-failed',
  'conflict-opened',
  'removal-pending',
  'drift-found',
  'health-degraded',
  'health-recovered',
  'credentials-rejected',
  'ai-usage',
] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

export const NOTIFICATION_CHANNELS = ['slack', 'webhook', 'github-comment'] as const;

export interface NotificationEvent {
  trigger: NotificationTrigger;
  tenant: string;
  linkId: string;
  /** Repository and design of the link, as their URLs. */
  repo: string;
  design: string;
  /** One line: what changed. */
  title: string;
  /** Why, and what to do about it. */
  text: string;
  /** Labelled values (the conflict's two sides, the error code...). Short, never secret. */
  fields: Array<{ label: string; value: string }>;
  /** The dashboard page that shows it, relative to the bridge's API address. */
  path: string;
  /**
   * The condition this event reports (Argo's `oncePer`): a subscription hears of one condition once,
   * however often it is found again (a conflict's id, an operation id, a health change's time).
   */
  oncePer: string;
  at: string;
}

const TRIGGER_LABEL: Record<NotificationTrigger, string> = {
  'sync-failed': 'Sync failed',
  'conflict-opened': 'Conflict waiting for a decision',
  'removal-pending': 'Removal waiting for review',
  'drift-found': 'Drift found',
  'health-degraded': 'Integration degraded',
  'health-recovered': 'Integration recovered',
  'credentials-rejected': 'Credentials rejected: reconnect',
  'ai-usage': 'AI quota or budget',
};

const MAX_FIELD = 300;
const clip = (s: string, max = MAX_FIELD) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
/** Slack's mrkdwn treats these as markup; a value from a repository must not. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** A value in a GitHub comment: no markup, no mentions, no HTML. */
const markdownEscape = (s: string) => s.replace(/([\\`*_{}[\]()#+\-.!|<>@~])/g, '\\$1');

export function pageUrl(event: Pick<NotificationEvent, 'path'>, baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${event.path}`;
}

/** A Slack incoming-webhook message (`text` for notifications, blocks for the message itself). */
export function slackMessage(event: NotificationEvent, baseUrl: string): Record<string, unknown> {
  const url = pageUrl(event, baseUrl);
  const head = `${TRIGGER_LABEL[event.trigger]}: ${clip(event.title, 150)}`;
  return {
    text: slackEscape(head),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(head, 150), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: slackEscape(clip(event.text, 2900)) } },
      ...(event.fields.length > 0
        ? [
            {
              type: 'section',
              fields: event.fields.slice(0, 10).map((f) => ({
                type: 'mrkdwn',
                text: `*${slackEscape(clip(f.label, 50))}*\n${slackEscape(clip(f.value))}`,
              })),
            },
          ]
        : []),
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: slackEscape(clip(`${event.repo} ⇄ ${event.design}`, 500)) },
          { type: 'mrkdwn', text: `<${url}|Open in the bridge>` },
        ],
      },
    ],
  };
}

/** The JSON body of a generic webhook: the event as it is, and where to see it. */
export function webhookBody(event: NotificationEvent, baseUrl: string, deliveryId: string): string {
  return JSON.stringify({
    deliveryId,
    summary: `${TRIGGER_LABEL[event.trigger]}: ${event.title}`,
    ...event,
    url: pageUrl(event, baseUrl),
  });
}

/** `sha256=<hex HMAC-SHA256 of the body>`, as GitHub signs its own webhooks. */
export function signBody(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

/** A GitHub issue comment: values escaped so nothing in them is markup or a mention. */
export function githubComment(event: NotificationEvent, baseUrl: string): string {
  const lines = [
    `**${TRIGGER_LABEL[event.trigger]}**: ${markdownEscape(clip(event.title, 200))}`,
    '',
    markdownEscape(clip(event.text, 3000)),
  ];
  if (event.fields.length > 0) {
    lines.push('');
    for (const f of event.fields.slice(0, 10))
      lines.push(`- ${markdownEscape(clip(f.label, 50))}: ${markdownEscape(clip(f.value))}`);
  }
  lines.push('', `[Open in the bridge](${pageUrl(event, baseUrl)})`);
  return lines.join('\n');
}
