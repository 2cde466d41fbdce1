import { AppError } from '../errors/index.ts';

export interface IntakeLimits {
  /** Deliveries handled at once (reading, verifying or publishing) before new ones get 503. */
  maxInFlight: number;
  /** Bytes of not-yet-verified bodies held at once, across every request. */
  maxUnverifiedBytes: number;
  /**
   * When the intake is full, a body still arriving after this long is cut (503) to make room. GitHub
   * sends a delivery's body at once; only a client that holds a slot on purpose is this slow.
   */
  evictAfterMs: number;
}

const retryShortly = (message: string) =>
  new AppError('unavailable', message, { headers: { 'retry-after': '1' } });

/**
 * Who may hold the webhook intake, and how much memory they may make it hold before their signature
 * is checked. Only requests that can still be a genuine delivery are admitted (the caller checks the
 * headers first); each holds a slot until done, and its unverified bytes (reserved as they arrive)
 * until its signature has been checked. When slots or bytes run out, the oldest body still arriving
 * after `evictAfterMs` is cut to make room, so slow uploads cannot keep genuine deliveries out.
 */
export class UnverifiedIntake {
  private readonly limits: IntakeLimits;
  private readonly now: () => number;
  private inFlight = 0;
  private bytes = 0;
  /** Admissions still reading or verifying their body, oldest first. */
  private readonly unverified = new Set<Admission>();

  constructor(limits: IntakeLimits, now: () => number = Date.now) {
    this.limits = limits;
    this.now = now;
  }

  /** A slot for one plausible delivery, or undefined when full and no slow body can be cut. */
  admit(): Admission | undefined {
    if (this.inFlight >= this.limits.maxInFlight && !this.evictOne()) return undefined;
    this.inFlight += 1;
    const admission = new Admission(this, this.now());
    this.unverified.add(admission);
    return admission;
  }

  stats(): { inFlight: number; unverified: number; unverifiedBytes: number } {
    return { inFlight: this.inFlight, unverified: this.unverified.size, unverifiedBytes: this.bytes };
  }

  /** @internal Reserves bytes for `who`, cutting slow bodies of others if that makes them fit. */
  take(who: Admission, bytes: number): void {
    if (who.reserved + bytes > this.limits.maxUnverifiedBytes) {
      throw new AppError(
        'payload_too_large',
        `Request body exceeds the ${this.limits.maxUnverifiedBytes} bytes this instance holds before verifying a signature`,
      );
    }
    while (this.bytes + bytes > this.limits.maxUnverifiedBytes) {
      if (!this.evictOne(who)) {
        throw retryShortly('Too many unverified deliveries are being received; retry shortly');
      }
    }
    this.bytes += bytes;
    who.reserved += bytes;
  }

  /** @internal */
  releaseBytes(who: Admission): void {
    this.bytes -= who.reserved;
    who.reserved = 0;
    this.unverified.delete(who);
  }

  /** @internal */
  leave(who: Admission): void {
    this.releaseBytes(who);
    this.inFlight -= 1;
  }

  private evictOne(except?: Admission): boolean {
    const cutoff = this.now() - this.limits.evictAfterMs;
    for (const candidate of this.unverified) {
      if (candidate === except) continue;
      if (candidate.since > cutoff) return false; // the rest are younger still
      candidate.cut();
      return true;
    }
    return false;
  }
}

/** One admitted request: a slot until `done()`, unverified bytes until `verified()`. */
export class Admission {
  reserved = 0;
  readonly since: number;
  private readonly intake: UnverifiedIntake;
  private readonly controller = new AbortController();
  private left = false;

  constructor(intake: UnverifiedIntake, since: number) {
    this.intake = intake;
    this.since = since;
  }

  /** Aborted when this body is cut to make room: the body read rejects with a 503. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** For HttpRequest.body's `reserve`: throws 413 (too big alone) or 503 (no room now). */
  readonly reserve = (bytes: number): void => {
    if (!this.left) this.intake.take(this, bytes);
  };

  /** The signature has been checked (either way): its bytes no longer count as unverified. */
  verified(): void {
    if (!this.left) this.intake.releaseBytes(this);
  }

  /** Leaves the intake; a second call does nothing. */
  done(): void {
    if (this.left) return;
    this.left = true;
    this.intake.leave(this);
  }

  /** @internal Cut to make room: frees the slot and the bytes now, and aborts the body read. */
  cut(): void {
    this.done();
    this.controller.abort(retryShortly('The delivery’s body arrived too slowly while others waited; retry'));
  }
}
