import autocannon from 'autocannon';
import { type LatencySummary, latencySummary } from './stats.ts';

export interface LoadOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  durationSeconds: number;
  connections?: number;
  /** Fixed total request rate (requests/s across all connections); unset = as fast as possible. */
  overallRate?: number;
}

export interface LoadResult extends LatencySummary {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/**
 * One autocannon run. `[<id>]` in the headers is replaced per request (unique delivery ids, so the
 * bridge's dedupe never short-circuits). Latencies are collected per response so p95 is exact
 * (autocannon's own summary has p90 and p97.5 but no p95).
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const samples: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}${options.path}`,
        method: 'POST',
        headers: options.headers,
        body: options.body,
        duration: options.durationSeconds,
        connections: options.connections ?? 10,
        pipelining: 1,
        idReplacement: true,
        timeout: 10,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          requestsPerSecond: result.requests.total / result.duration,
          requests: result.requests.total,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          ...latencySummary(samples),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      samples.push(responseTime);
    });
  });
}
