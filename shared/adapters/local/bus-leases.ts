import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../logging/index.ts';
import type { BusQueue, LeaseHolder } from './bus-queue.ts';
import { InstanceRegistry } from './instance-registry.ts';

/**
 * This bus instance's side of the leases: who it is (`owner`, new at every start of a process:
 * unlike a PID, never reused), the lock that tells other instances it still runs (InstanceRegistry),
 * renewing the leases of what it is delivering, and handing back the leases of holders that are gone.
 */
export class BusLeases {
  readonly holder: LeaseHolder = { owner: randomUUID(), pid: process.pid, host: hostname() };
  private readonly instances: InstanceRegistry;
  private readonly queue: BusQueue;
  private readonly leaseMs: number;
  private readonly logger: Logger | undefined;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(options: { file: string; queue: BusQueue; leaseMs: number; logger?: Logger | undefined }) {
    this.instances = new InstanceRegistry(`${options.file}.instances`);
    this.queue = options.queue;
    this.leaseMs = options.leaseMs;
    this.logger = options.logger;
  }

  /**
   * Registers this instance (before anything is leased, so every lease of it has a live lock behind
   * it), hands back what stopped holders held, and renews the leases of `held()` every third of a lease.
   */
  start(held: () => string[]): void {
    this.instances.register(this.holder.owner);
    this.releaseGone();
    this.instances.sweep();
    this.renewTimer = setInterval(() => this.renew(held()), Math.max(10, this.leaseMs / 3)).unref();
  }

  /** Makes what a stopped process held deliverable again (its lock is gone: no need to wait for the lease). */
  releaseGone(): void {
    try {
      const released = this.queue.releaseDeadHolders(this.holder, (lease) =>
        this.instances.isGone(lease, this.holder),
      );
      if (released > 0) this.logger?.info('redelivering messages held by a stopped process', { released });
    } catch (err) {
      // Their leases run out instead.
      this.logger?.warn('could not check whether lease holders still run', { error: err });
    }
  }

  stopRenewing(): void {
    clearInterval(this.renewTimer);
  }

  /**
   * Lets go of this instance's lock. With `keepFile` (deliveries abandoned with their leases kept),
   * the unlocked file tells the next instance at once that their holder is gone.
   */
  release(keepFile: boolean): void {
    this.instances.release({ keepFile });
  }

  private renew(ids: string[]): void {
    if (ids.length === 0) return;
    try {
      this.queue.renewLeases(ids, this.holder.owner, this.leaseMs);
    } catch (err) {
      this.logger?.error('could not renew message leases', { error: err });
    }
  }
}
