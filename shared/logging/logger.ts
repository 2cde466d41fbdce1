import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { redact, SecretRegistry } from './redact.ts';

export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const LEVEL_TO_SEVERITY: Record<LogLevel, Severity> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
};

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines carry these fields too (trace id, link id, delivery id...). */
  child(fields: LogFields): Logger;
  /** Registers a secret value so it is scrubbed from every later line of every logger sharing the registry. */
  addSecret(value: string | undefined): void;
  /**
   * Runs `fn` with `fields` on every line logged meanwhile, through any logger of this root (a
   * provider's, a library's): one sync's lines all name its operation and trace.
   */
  scope<T>(fields: LogFields, fn: () => T): T;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Google Cloud project, to turn a trace id into Cloud Logging's `projects/P/traces/T` form. */
  project?: string | undefined;
  write?: (line: string) => void;
  secrets?: SecretRegistry;
  now?: () => Date;
  /** Fields bound by `scope`, shared by a root logger and its children. */
  scoped?: AsyncLocalStorage<LogFields>;
}

/**
 * JSON lines in Cloud Logging's structured format: `severity`, `message`, and
 * `logging.googleapis.com/trace` when a trace id is known. Everything passes through `redact`.
 */
export function createLogger(options: LoggerOptions = {}, base: LogFields = {}): Logger {
  const min = RANK[LEVEL_TO_SEVERITY[options.level ?? 'info']];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = options.secrets ?? new SecretRegistry();
  const now = options.now ?? (() => new Date());
  const scoped = options.scoped ?? new AsyncLocalStorage<LogFields>();

  const log = (severity: Severity, message: string, fields?: LogFields) => {
    if (RANK[severity] < min) return;
    const { traceId, ...rest } = { ...scoped.getStore(), ...base, ...fields } as LogFields & {
      traceId?: unknown;
    };
    const entry: Record<string, unknown> = {
      severity,
      message: secrets.scrub(message),
      time: now().toISOString(),
      ...(redact(rest, secrets) as LogFields),
    };
    if (typeof traceId === 'string' && traceId !== '') {
      entry['logging.googleapis.com/trace'] = options.project
        ? `projects/${options.project}/traces/${traceId}`
        : traceId;
    }
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({
        severity,
        message: entry.message,
        time: entry.time,
        note: 'fields not serialisable',
      });
    }
    write(line);
  };

  return {
    debug: (m, f) => log('DEBUG', m, f),
    info: (m, f) => log('INFO', m, f),
    warn: (m, f) => log('WARNING', m, f),
    error: (m, f) => log('ERROR', m, f),
    child: (fields) => createLogger({ ...options, secrets, scoped }, { ...base, ...fields }),
    addSecret: (value) => secrets.add(value),
    scope: (fields, fn) => scoped.run({ ...scoped.getStore(), ...fields }, fn),
  };
}

/**
 * A fresh W3C trace id (32 hex digits) for a request that came without one (locally; Cloud Run's
 * front end adds `traceparent` to every request), so one webhook can still be followed.
 */
export function newTraceId(): string {
  // randomUUID draws from a cached entropy pool (~0.1 µs); randomBytes(16) takes ~7 µs a call here.
  return randomUUID().replaceAll('-', '');
}

/** Trace id from Cloud Run's `traceparent` or `X-Cloud-Trace-Context` header. */
export function traceIdFromHeaders(headers: Record<string, string | undefined>): string | undefined {
  const traceparent = headers.traceparent;
  if (traceparent) {
    const m = /^[0-9a-f]{2}-([0-9a-f]{32})-/.exec(traceparent);
    if (m) return m[1];
  }
  const legacy = headers['x-cloud-trace-context'];
  if (legacy) {
    const id = legacy.split('/')[0];
    if (id && /^[0-9a-f]{32}$/i.test(id)) return id;
  }
  return undefined;
}
