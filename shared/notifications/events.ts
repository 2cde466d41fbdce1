import { createHash } from 'node:crypto';
import type { DriftReport, NotificationEvent } from '../domain/index.ts';
import type { ConflictRecord, HealthChange, Link, Operation } from '../records/index.ts';

type LinkSides = Pick<Link, 'id' | 'tenant' | 'repo' | 'design'>;

const base = (link: LinkSides, at: string) => ({
  tenant: link.tenant,
  linkId: link.id,
  repo: link.repo,
  design: link.design,
  path: `/#link/${encodeURIComponent(link.id)}`,
  at,
});

/** Longest value a message carries (a bus message and a chat message stay small). */
const MAX_VALUE = 500;

/** A side's value in a message: JSON for anything but a string, "(removed)" for null; cut at MAX_VALUE. */
const shown = (value: unknown) => {
  const text =
    value === null || value === undefined
      ? '(removed)'
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
};

const CREDENTIAL_CODES = new Set(['unauthorized', 'forbidden']);

/**
 * A run recorded as failed for good, or given up on its last attempt. The condition is the error on
 * the sides as they were: the same failure again on unchanged sides notifies nobody a second time;
 * a new edit that still fails does.
 */
export function syncFailed(
  link: LinkSides & Partial<Pick<Link, 'positions'>>,
  op: Operation,
): NotificationEvent {
  const error = op.error ?? { code: 'internal', message: 'Internal error' };
  const credentials = CREDENTIAL_CODES.has(error.code);
  const why = op.gaveUp
    ? 'Every attempt failed; the request is in the dead letters and runs again when replayed (GET /api/v1/dead-letters).'
    : credentials
      ? 'GitHub or Drive refused the link’s credentials. Reconnect the account (or renew the token), then sync again.'
      : 'A retry cannot fix this: the link shows the error until the cause is fixed and it syncs again.';
  return {
    ...base(link, op.finishedAt ?? op.queuedAt),
    trigger: credentials ? 'credentials-rejected' : 'sync-failed',
    title: `sync failed: ${shown(error.message)}`,
    text: why,
    fields: [
      { label: 'Error', value: error.code },
      { label: 'Operation', value: op.id },
      { label: 'Trigger', value: op.trigger },
    ],
    oncePer: createHash('sha256')
      .update(
        JSON.stringify([
          error.code,
          error.message,
          link.positions?.headSha ?? '',
          link.positions?.designRevision ?? '',
        ]),
      )
      .digest('hex')
      .slice(0, 32),
  };
}

/** A conflict opened (or reopened) for a decision; a removal waiting for review is its own trigger. */
export function conflictOpened(link: LinkSides, conflict: ConflictRecord): NotificationEvent {
  const removal = conflict.kind === 'removal';
  return {
    ...base(link, conflict.createdAt),
    trigger: removal ? 'removal-pending' : 'conflict-opened',
    title: removal
      ? `${conflict.serviceId} was removed on one side and kept on the other`
      : `${conflict.serviceId} ${conflict.field}: the design and the definitions disagree`,
    text: removal
      ? 'The bridge does not delete a service without a decision. Take the side that removed it to delete it everywhere, or the other to keep it.'
      : 'Both sides changed this field since the last sync. Choose one (dashboard, `bridge resolve`, or the API); the next sync writes it to both.',
    fields: [
      { label: 'Design', value: shown(conflict.design) },
      { label: 'Definitions', value: shown(conflict.definitions) },
      { label: 'Last synced', value: shown(conflict.base) },
    ],
    oncePer: `${conflict.id}@${conflict.createdAt}`,
  };
}

const total = (summary: Record<string, number> | undefined) =>
  Object.values(summary ?? {}).reduce((n, v) => n + v, 0);

/** Drift found, or grown, since the link's last report; undefined when it did not grow. */
export function driftFound(
  link: LinkSides & Pick<Link, 'drift'>,
  report: DriftReport,
  at: string,
): NotificationEvent | undefined {
  const before = total(link.drift as Record<string, number> | undefined);
  const now = report.findings.length;
  if (now === 0 || now <= before) return undefined;
  const keys = report.findings.map((f) => `${f.kind}:${f.serviceId ?? ''}:${f.path ?? ''}`).sort();
  return {
    ...base(link, at),
    trigger: 'drift-found',
    title: `${now} drift finding${now === 1 ? '' : 's'} (was ${before})`,
    text: report.findings
      .slice(0, 5)
      .map((f) => `• ${shown(f.message)}`)
      .join('\n'),
    fields: Object.entries(report.summary)
      .filter(([, n]) => n > 0)
      .map(([kind, n]) => ({ label: kind, value: String(n) })),
    oncePer: createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32),
  };
}

/** A change of integration health; unhealthy credentials are `credentials-rejected`. */
export function healthChanged(link: LinkSides, change: HealthChange): NotificationEvent {
  const auth = change.failing.some(
    (c) =>
      c.status === 'unhealthy' &&
      (c.check === 'repo.auth' || c.check === 'design.auth' || c.check === 'access'),
  );
  const trigger =
    change.change === 'recovered' ? 'health-recovered' : auth ? 'credentials-rejected' : 'health-degraded';
  return {
    ...base(link, change.at),
    trigger,
    title:
      change.change === 'recovered'
        ? `healthy again (was ${change.from ?? 'unknown'})`
        : `${change.to}: ${change.failing.map((c) => c.check).join(', ')}`,
    text: change.failing.map((c) => `• ${c.check}: ${shown(c.reason)}`).join('\n') || 'Every check passes.',
    fields: [
      { label: 'Status', value: change.to },
      { label: 'Before', value: change.from ?? 'not checked yet' },
    ],
    oncePer: `${change.change}@${change.at}`,
  };
}

/**
 * A tenant's AI usage reached 80, 90 or 100 % of its daily request quota or monthly budget: once
 * per threshold per period (not about one link: every tenant-wide subscription hears it).
 */
export function aiUsageReached(
  reached: {
    tenant: string;
    limit: 'daily-requests' | 'monthly-budget';
    threshold: number;
    used: number;
    of: number;
    period: string;
  },
  at: string,
): NotificationEvent {
  const percent = Math.round(reached.threshold * 100);
  const what = reached.limit === 'daily-requests' ? 'daily AI request quota' : 'monthly AI budget';
  const amount = (n: number) =>
    reached.limit === 'daily-requests' ? String(n) : `${(n / 1e12).toFixed(2)} USD`;
  return {
    trigger: 'ai-usage',
    tenant: reached.tenant,
    linkId: '',
    repo: '',
    design: '',
    path: '/#health-section',
    at,
    title: `${percent} % of the ${what} used (${reached.period})`,
    text:
      reached.threshold >= 1
        ? 'AI calls are refused (429 with Retry-After) until the period ends; features fall back to their no-model path.'
        : 'AI calls go on; at 100 % they are refused until the period ends.',
    fields: [
      { label: 'Used', value: amount(reached.used) },
      { label: 'Limit', value: amount(reached.of) },
      { label: 'Period', value: reached.period },
    ],
    oncePer: `${reached.limit}:${reached.period}:${percent}`,
  };
}
