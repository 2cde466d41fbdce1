/** What recovery needs of a `GET /app/hook/deliveries` item (hook-delivery-item). */
export interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  event: string;
  action?: string | null;
}

export interface FailedDelivery {
  guid: string;
  /** The latest attempt: the one asked to be redelivered. */
  deliveryId: number;
  event: string;
  attempts: number;
  lastAttemptAt: string;
}

/** GitHub lets a delivery be redelivered only within 3 days of it. */
export const REDELIVERY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

const succeeded = (d: HookDelivery) => d.status_code >= 200 && d.status_code < 300;

/**
 * Groups attempts by `guid` (one event; every redelivery is a new attempt with the same guid) and
 * returns the events none of whose attempts within the window succeeded, oldest first (those are
 * the first to fall out of the window).
 */
export function selectRedeliveries(
  deliveries: readonly HookDelivery[],
  now: Date,
  windowMs = REDELIVERY_WINDOW_MS,
): { guids: number; failed: FailedDelivery[] } {
  const since = now.getTime() - windowMs;
  const byGuid = new Map<string, HookDelivery[]>();
  for (const d of deliveries) {
    const at = Date.parse(d.delivered_at);
    if (!Number.isFinite(at) || at < since) continue;
    byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
  }
  const failed: FailedDelivery[] = [];
  for (const [guid, attempts] of byGuid) {
    if (attempts.some(succeeded)) continue;
    const latest = attempts.reduce((a, b) => {
      const diff = Date.parse(b.delivered_at) - Date.parse(a.delivered_at);
      return diff > 0 || (diff === 0 && b.id > a.id) ? b : a;
    });
    failed.push({
      guid,
      deliveryId: latest.id,
      event: latest.event,
      attempts: attempts.length,
      lastAttemptAt: latest.delivered_at,
    });
  }
  failed.sort((a, b) => a.lastAttemptAt.localeCompare(b.lastAttemptAt));
  return { guids: byGuid.size, failed };
}
