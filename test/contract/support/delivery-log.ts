import { EventEmitter } from 'node:events';
import type { BusMessage } from '../../../shared/ports/index.ts';

export interface Delivery {
  message: BusMessage;
  at: number;
  outcome?: 'acked' | 'failed';
}

/** Records what a handler saw, and lets a test wait for a condition on it (with a timeout, no sleeps). */
export class DeliveryLog {
  readonly deliveries: Delivery[] = [];
  private readonly changes = new EventEmitter().setMaxListeners(0);

  started(message: BusMessage): Delivery {
    const delivery: Delivery = { message, at: Date.now() };
    this.deliveries.push(delivery);
    this.changes.emit('change');
    return delivery;
  }

  finished(delivery: Delivery, outcome: 'acked' | 'failed'): void {
    delivery.outcome = outcome;
    this.changes.emit('change');
  }

  ids(): string[] {
    return this.deliveries.map((d) => d.message.id);
  }

  acked(): Delivery[] {
    return this.deliveries.filter((d) => d.outcome === 'acked');
  }

  waitFor(what: string, predicate: (log: DeliveryLog) => boolean, timeoutMs = 5_000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onChange = () => {
        if (!predicate(this)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off('change', onChange);
      };
      this.changes.on('change', onChange);
    });
  }
}

export interface Gate {
  promise: Promise<void>;
  open: () => void;
}

/** A promise a test opens by hand: handlers wait on it to stay in flight. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Lets pending callbacks and I/O run; for checking that something has NOT happened yet. */
export async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}
