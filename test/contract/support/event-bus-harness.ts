import { afterEach } from 'vitest';
import type { EventBus, MessageHandler, RetryPolicy } from '../../../shared/ports/index.ts';
import { DeliveryLog } from './delivery-log.ts';

export interface EventBusHarness {
  bus: EventBus;
  /** Another bus on the same durable storage, as a second process would see it. */
  reopen(): Promise<EventBus>;
  /** Closes every bus it opened and removes the storage. */
  cleanup(): Promise<void>;
}

export interface EventBusOpenOptions {
  retry: RetryPolicy;
  /** How long a delivery stays leased without renewal before another bus may take it. */
  leaseMs: number;
}

export type OpenEventBus = (options: EventBusOpenOptions) => Promise<EventBusHarness>;

export const FAST_RETRY: RetryPolicy = { maxAttempts: 3, minBackoffMs: 10, maxBackoffMs: 100 };
export const DEFAULT_LEASE_MS = 300;

/** Opens buses for a case and cleans them up after it. */
export function useEventBus(open: OpenEventBus) {
  const opened: EventBusHarness[] = [];
  afterEach(async () => {
    for (const harness of opened.splice(0)) await harness.cleanup();
  });
  return async (options: Partial<EventBusOpenOptions> = {}) => {
    const harness = await open({
      retry: options.retry ?? FAST_RETRY,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    });
    opened.push(harness);
    return harness;
  };
}

/**
 * A handler that records each delivery; `behaviour` may throw (nack) or wait. The delivery is marked
 * acked or failed after the behaviour settles.
 */
export function recordingHandler(
  log: DeliveryLog,
  behaviour: (message: Parameters<MessageHandler>[0]) => Promise<void> | void = () => {},
): MessageHandler {
  return async (message) => {
    const delivery = log.started(message);
    try {
      await behaviour(message);
    } catch (err) {
      log.finished(delivery, 'failed');
      throw err;
    }
    log.finished(delivery, 'acked');
  };
}

export { DeliveryLog };
