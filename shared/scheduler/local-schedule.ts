import type { AppContext } from '../context/index.ts';
import { TOPICS } from '../ports/index.ts';
import type { SchedulerJob } from './scheduler.ts';

export interface LocalScheduleIntervals {
  reconcileMs?: number;
  renewChannelsMs?: number;
  recoverDeliveriesMs?: number;
  driveChangesMs?: number;
  healthMs?: number;
  /** Delay of the first renew-channels run after start (channels for new links soon). */
  firstRenewalMs?: number;
}

const DEFAULTS: Required<LocalScheduleIntervals> = {
  reconcileMs: 15 * 60 * 1000,
  renewChannelsMs: 60 * 60 * 1000,
  recoverDeliveriesMs: 60 * 60 * 1000,
  driveChangesMs: 5 * 60 * 1000,
  healthMs: 5 * 60 * 1000,
  firstRenewalMs: 5_000,
};

/**
 * Local mode's Cloud Scheduler: publishes the jobs to `scheduler-jobs` on the embedded bus. Timers
 * are unref'd (they never keep the process alive); the returned function stops them.
 */
export function startLocalSchedule(
  ctx: Pick<AppContext, 'publisher' | 'logger'>,
  intervals: LocalScheduleIntervals = {},
): () => void {
  const every = { ...DEFAULTS, ...intervals };
  const publish = (job: SchedulerJob) => {
    ctx.publisher
      .publish(TOPICS.schedulerJobs, { job }, { attributes: { job } })
      .catch((err: unknown) => ctx.logger.warn('could not publish a scheduler job', { job, error: err }));
  };
  const timers = [
    setInterval(() => publish('reconcile'), every.reconcileMs),
    setInterval(() => publish('renew-channels'), every.renewChannelsMs),
    setInterval(() => publish('recover-deliveries'), every.recoverDeliveriesMs),
    setInterval(() => publish('drive-changes'), every.driveChangesMs),
    setInterval(() => publish('health'), every.healthMs),
    setTimeout(() => publish('renew-channels'), every.firstRenewalMs),
  ];
  for (const t of timers) t.unref();
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}
