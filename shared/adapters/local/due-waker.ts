const MAX_TIMER_MS = 2 ** 31 - 1;
/** A due time already past is looked at again this soon rather than never. */
const DUE_RECHECK_MS = 5;

/**
 * When the dispatcher must look at the queue again by itself: the moment the next backing-off (or
 * someone else's leased) message becomes due. That moment changes only with a nack, a replay, a dead
 * letter or another process (polled), so it is looked up only once marked stale, or when nothing is
 * in flight here (then the lookup is cheap).
 */
export class DueWaker {
  private readonly nextDueAt: () => number | undefined;
  private readonly wake: () => void;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;

  constructor(nextDueAt: () => number | undefined, wake: () => void) {
    this.nextDueAt = nextDueAt;
    this.wake = wake;
  }

  markStale(): void {
    this.stale = true;
  }

  /** After a dispatch pass: sets the timer for the next due message if the due time may have moved. */
  refresh(nothingInFlight: boolean): void {
    if (!this.stale && !nothingInFlight) return;
    this.stale = false;
    clearTimeout(this.timer);
    const due = this.nextDueAt();
    if (due === undefined) return;
    // Already due (a lease that ran out between the claim and this lookup, or a message waiting for
    // a free slot): look again shortly. A completion also wakes the dispatcher.
    const wait = Math.min(Math.max(due - Date.now(), DUE_RECHECK_MS), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.stale = true;
      this.wake();
    }, wait).unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
