import type { BridgeMetrics } from '../metrics/index.ts';
import type { Operation } from '../records/index.ts';
import type { SyncOptions } from './sync-options.ts';

/** `failed` for every run that failed (the alert on failing syncs counts these), else its outcome. */
export function outcomeLabel(op: Pick<Operation, 'status' | 'outcome'>): string {
  if (op.status === 'failed') return 'failed';
  return op.outcome ?? op.status;
}

/**
 * A run that finished (or an attempt that failed and will be retried: `attempt_failed`) moves the
 * duration and runs series; a run that wrote the other side also gives the freshness of the event
 * that asked for it.
 */
export function recordRunMetrics(
  metrics: BridgeMetrics,
  op: Operation,
  options: Pick<SyncOptions, 'receivedAt'>,
  at: Date,
  retrying = false,
): void {
  metrics.syncFinished({
    direction: op.direction,
    outcome: retrying ? 'attempt_failed' : outcomeLabel(op),
    trigger: triggerLabel(op.trigger),
    durationSeconds: (op.durationMs ?? 0) / 1000,
  });
  if (!retrying && op.outcome === 'synced' && !op.dryRun && options.receivedAt) {
    const received = Date.parse(options.receivedAt);
    if (Number.isFinite(received))
      metrics.freshness((at.getTime() - received) / 1000, triggerLabel(op.trigger));
  }
}

/** Triggers are the bridge's own words (`github-<event>` included); anything else is `other`. */
function triggerLabel(trigger: string): string {
  return /^[a-z][a-z0-9_-]{0,39}$/.test(trigger) ? trigger : 'other';
}
