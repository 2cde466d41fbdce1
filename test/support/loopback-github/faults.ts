/**
 * Fault injection: the next matching request(s) get a made-up answer (or a delay) instead of the
 * normal one. Faulted answers are not schema-validated: they are whatever the test asked for.
 */
export interface FaultSpec {
  /** HTTP method to match (default: any). */
  method?: string;
  /** Path to match: a RegExp, or a substring of the request path (default: any). */
  path?: string | RegExp;
  /** Status to answer with (default 500, or 403 for the rate-limit kinds). Omit with only `delayMs` to delay a normal answer. */
  status?: number;
  /**
   * `primary-rate-limit`: 403, `x-ratelimit-remaining: 0`, `x-ratelimit-reset` in `resetInSeconds`.
   * `secondary-rate-limit`: 403 "You have exceeded a secondary rate limit", `retry-after`.
   */
  kind?: 'primary-rate-limit' | 'secondary-rate-limit';
  body?: unknown;
  headers?: Record<string, string>;
  /** Sets `retry-after` (seconds). */
  retryAfterSeconds?: number;
  /** For `primary-rate-limit`: seconds until the reset (default 1). */
  resetInSeconds?: number;
  /** Wait this long before answering (the normal answer when no status or kind is given). */
  delayMs?: number;
  /** How many matching requests this fault applies to (default 1; Infinity for all). */
  times?: number;
}

export interface FaultHandle {
  /** Matching requests still to be faulted. */
  remaining(): number;
  cancel(): void;
}

export interface FaultAnswer {
  delayMs: number;
  response?: { status: number; body: unknown; headers: Record<string, string> };
}

interface ActiveFault {
  spec: FaultSpec;
  left: number;
}

export class FaultList {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { spec, left: spec.times ?? 1 };
    this.faults.push(fault);
    return {
      remaining: () => fault.left,
      cancel: () => {
        fault.left = 0;
      },
    };
  }

  /** Takes the first matching fault, if any, and turns it into an answer. */
  take(method: string, path: string, nowMs: number): FaultAnswer | undefined {
    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (!f.spec.method || f.spec.method.toUpperCase() === method) &&
        (!f.spec.path ||
          (typeof f.spec.path === 'string' ? path.includes(f.spec.path) : f.spec.path.test(path))),
    );
    if (!fault) return undefined;
    fault.left -= 1;
    this.faults = this.faults.filter((f) => f.left > 0);
    const { spec } = fault;
    const delayMs = spec.delayMs ?? 0;
    if (spec.status === undefined && spec.kind === undefined) return { delayMs };
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.retryAfterSeconds !== undefined) headers['retry-after'] = String(spec.retryAfterSeconds);
    let message = 'Injected fault';
    if (spec.kind === 'primary-rate-limit') {
      message = 'API rate limit exceeded for installation.';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = String(Math.ceil(nowMs / 1000) + (spec.resetInSeconds ?? 1));
    } else if (spec.kind === 'secondary-rate-limit') {
      message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    }
    const status = spec.status ?? (spec.kind ? 403 : 500);
    const body = spec.body ?? {
      message,
      documentation_url: 'https://docs.github.com/rest',
      status: String(status),
    };
    return { delayMs, response: { status, body, headers } };
  }
}
