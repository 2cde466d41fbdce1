import { describe } from 'vitest';
import { eventBusDeliveryCases } from './cases/event-bus-delivery.cases.ts';
import { eventBusLifecycleCases } from './cases/event-bus-lifecycle.cases.ts';
import type { OpenEventBus } from './support/event-bus-harness.ts';

export type { OpenEventBus } from './support/event-bus-harness.ts';

/**
 * The EventBus contract (the delivering side: at-least-once, ack/nack with backoff, dead letters and
 * replay, order per key, idle and stop). `open` gets the retry policy and lease time to use and returns
 * a fresh bus, a way to open a second bus on the same storage, and a cleanup.
 */
export function describeEventBusContract(name: string, open: OpenEventBus): void {
  describe(`EventBus contract: ${name}`, () => {
    eventBusDeliveryCases(open);
    eventBusLifecycleCases(open);
  });
}
