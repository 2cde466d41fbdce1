export interface FaultSpec {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path to match: exact string or pattern (any when omitted), e.g. /^\/upload\//. */
  path?: string | RegExp;
  /** Answer with this status (Google's error format) instead of handling the request. */
  status?: number;
  /** Drive's error reason (default by status: rateLimitExceeded, backendError...). */
  reason?: string;
  /** Hold the request this long before answering (or before failing with `status`). */
  delayMs?: number;
  /** Runs when a matching request arrives, before it is handled (e.g. a concurrent user edit). */
  run?: () => void | Promise<void>;
  /** How many matching requests are affected; default 1; Infinity for all. */
  times?: number;
}

export interface FaultHandle {
  /** Matching requests still to be affected. */
  remaining(): number;
  remove(): void;
}

interface ActiveFault {
  spec: FaultSpec;
  left: number;
}

export class FaultTable {
  private readonly faults: ActiveFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, left: spec.times ?? 1 };
    this.faults.push(fault);
    return {
      remaining: () => fault.left,
      remove: () => {
        const i = this.faults.indexOf(fault);
        if (i >= 0) this.faults.splice(i, 1);
      },
    };
  }

  /** The first fault matching this request, consumed once. */
  take(method: string, path: string): FaultSpec | undefined {
    const fault = this.faults.find(({ spec, left }) => {
      if (left <= 0) return false;
      if (spec.method && spec.method.toUpperCase() !== method) return false;
      if (spec.path === undefined) return true;
      return typeof spec.path === 'string' ? spec.path === path : spec.path.test(path);
    });
    if (!fault) return undefined;
    fault.left -= 1;
    return fault.spec;
  }
}
