/**
 * Integration health: what the 5-minute health job concludes from its checks of one link's
 * repository and design. Pure: the job (shared/health) runs the probes and records the result.
 */

export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const HEALTH_CHECKS = [
  'access',
  'repo.auth',
  'repo.rate-limit',
  'repo.latency',
  'repo.webhook',
  'design.auth',
  'design.channel',
  'dead-letters',
] as const;
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

export interface HealthCheck {
  check: HealthCheckName;
  status: HealthStatus;
  /** Why, in a sentence an operator can act on (never a secret). */
  reason: string;
}

const RANK: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The worst status of the checks (healthy when there are none) and the reasons of the others. */
export function assessHealth(checks: readonly HealthCheck[]): {
  status: HealthStatus;
  failing: HealthCheck[];
} {
  let status: HealthStatus = 'healthy';
  for (const c of checks) if (RANK[c.status] > RANK[status]) status = c.status;
  return { status, failing: checks.filter((c) => c.status !== 'healthy') };
}

export type HealthChangeKind = 'degraded' | 'unhealthy' | 'recovered';

/**
 * What a new status means against the last recorded one: undefined when nothing changed (or a first
 * check found the link healthy), so a condition that persists is reported once, when it starts.
 */
export function healthChange(
  previous: HealthStatus | undefined,
  next: HealthStatus,
): HealthChangeKind | undefined {
  if (previous === next) return undefined;
  if (next === 'healthy') return previous === undefined ? undefined : 'recovered';
  return next;
}

export interface RateLimitReading {
  resource: string;
  limit: number;
  remaining: number;
  resetAt: string;
}

/**
 * Rate-limit headroom from the last readings of the link's account: unhealthy when a limit is used
 * up, degraded below `minShare` of it left, healthy otherwise (also when nothing was read yet).
 */
export function rateLimitCheck(readings: readonly RateLimitReading[], minShare = 0.1): HealthCheck {
  const check = 'repo.rate-limit';
  let worst: RateLimitReading | undefined;
  for (const r of readings) {
    if (r.limit <= 0) continue;
    if (!worst || r.remaining / r.limit < worst.remaining / worst.limit) worst = r;
  }
  if (!worst) return { check, status: 'healthy', reason: 'no rate-limit reading yet' };
  const share = worst.remaining / worst.limit;
  const left = `${worst.remaining} of ${worst.limit} ${worst.resource} requests left until ${worst.resetAt}`;
  if (worst.remaining === 0) return { check, status: 'unhealthy', reason: `rate limit used up: ${left}` };
  if (share < minShare) return { check, status: 'degraded', reason: `rate limit nearly used up: ${left}` };
  return { check, status: 'healthy', reason: left };
}

export function latencyCheck(ms: number, slowMs = 3_000): HealthCheck {
  const check = 'repo.latency';
  if (ms > slowMs)
    return {
      check,
      status: 'degraded',
      reason: `the repository answered in ${ms} ms (slower than ${slowMs} ms)`,
    };
  return { check, status: 'healthy', reason: `the repository answered in ${ms} ms` };
}

export interface ObservedHook {
  url: string;
  active: boolean;
  events: readonly string[];
  /** GitHub's `last_response`: the answer to the hook's latest delivery. */
  lastResponse?: { code: number | null; status: string | null } | undefined;
}

/**
 * The repository webhook the bridge relies on: present, active, and its last delivery answered 2xx
 * (a hook never used yet is fine). `matches` says whether a hook delivers to the bridge.
 */
export function webhookCheck(hooks: readonly ObservedHook[], matches: (url: string) => boolean): HealthCheck {
  const check = 'repo.webhook';
  const ours = hooks.filter((h) => matches(h.url));
  if (ours.length === 0)
    return {
      check,
      status: 'degraded',
      reason: 'no repository webhook delivers to the bridge; pushes wait for the 15-minute reconcile',
    };
  const hook = ours.find((h) => h.active) ?? ours[0];
  if (!hook?.active)
    return {
      check,
      status: 'degraded',
      reason: 'the repository webhook is inactive; pushes wait for the 15-minute reconcile',
    };
  const code = hook.lastResponse?.code;
  if (typeof code === 'number' && (code < 200 || code > 299))
    return {
      check,
      status: 'degraded',
      reason: `the webhook's last delivery was answered ${code} (${hook.lastResponse?.status ?? 'no status'})`,
    };
  return {
    check,
    status: 'healthy',
    reason: code ? `last delivery answered ${code}` : 'webhook present, not used yet',
  };
}

export interface ObservedChannel {
  expiresAt: string;
}

/** A live Drive channel for the design: degraded when none is open or all have expired. */
export function channelCheck(channels: readonly ObservedChannel[], now: Date): HealthCheck {
  const check = 'design.channel';
  const live = channels.filter((c) => Date.parse(c.expiresAt) > now.getTime());
  if (live.length === 0)
    return {
      check,
      status: 'degraded',
      reason:
        channels.length === 0
          ? 'no Drive channel is open for the design; edits wait for the 5-minute changes feed'
          : 'the Drive channel has expired; edits wait for the 5-minute changes feed until the hourly renewal',
    };
  const next = live.map((c) => c.expiresAt).sort()[live.length - 1];
  return { check, status: 'healthy', reason: `Drive channel live until ${next}` };
}

/** Messages of the link's syncs that gave up and wait in the dead letters (replay once fixed). */
export function deadLetterCheck(count: number): HealthCheck {
  const check = 'dead-letters';
  if (count === 0) return { check, status: 'healthy', reason: 'no dead letters' };
  return {
    check,
    status: 'degraded',
    reason: `${count} message${count === 1 ? '' : 's'} of this link wait${count === 1 ? 's' : ''} in the dead letters (GET /api/v1/dead-letters; replay once the cause is fixed)`,
  };
}
