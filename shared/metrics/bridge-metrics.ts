import {
  type Attributes,
  type Counter,
  createNoopMeter,
  type Histogram,
  type Meter,
  type ObservableGauge,
  ValueType,
} from '@opentelemetry/api';
import { type GaugeName, type GaugeSources, observeGauges } from './gauges.ts';
import { meteredFetch } from './provider-route.ts';

/**
 * Every instrument of the bridge, declared once. The names are a contract: Cloud Monitoring shows
 * them as `workload.googleapis.com/<name>` and terraform/monitoring.tf (alerts, dashboard) refers to
 * them. Labels stay low-cardinality: no link, operation or delivery ids (per-link state is the API's).
 */
export const METRIC_NAMES = {
  syncDuration: 'bridge.sync.duration',
  syncRuns: 'bridge.sync.runs',
  syncFreshness: 'bridge.sync.freshness',
  conflictsOpened: 'bridge.conflicts.opened',
  conflictsSettled: 'bridge.conflicts.settled',
  intakeReceived: 'bridge.intake.received',
  providerCalls: 'bridge.provider.calls',
  rateLimitRemaining: 'bridge.provider.rate_limit.remaining',
  rateLimitRatio: 'bridge.provider.rate_limit.ratio',
  queueDepth: 'bridge.queue.depth',
  queueOldestAge: 'bridge.queue.oldest_age',
  deadLetters: 'bridge.dead_letters',
  driveChannelExpiry: 'bridge.drive.channel.expiry',
  driftFindings: 'bridge.drift.findings',
  httpServerErrors: 'bridge.http.server.errors',
  aiCalls: 'bridge.ai.calls',
  aiCost: 'bridge.ai.cost',
  aiLatency: 'bridge.ai.latency',
  aiTokens: 'bridge.ai.tokens',
  aiProviderAvailable: 'bridge.ai.provider.available',
  aiQueueDepth: 'bridge.ai.queue.depth',
  aiBudgetUsed: 'bridge.ai.budget.used',
} as const;

/** Sync durations run from milliseconds (nothing to do) to minutes (rate limits, retries). */
const SECONDS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface SyncRunFacts {
  direction: string;
  /** synced, no-changes, report-only, dry-run, proposal-declined, or `failed`. */
  outcome: string;
  trigger: string;
  durationSeconds: number;
}

/** What reads the instruments out: Prometheus text (local), a push exporter (GCP), or nothing. */
export interface MetricsOutlet {
  /** The current values in Prometheus text format; absent where nothing is scraped (GCP). */
  prometheusText?(): Promise<string>;
  /** Pushes what the exporter has not sent yet; `force` skips the wait between flushes. */
  flush(force?: boolean): Promise<void>;
  shutdown(): Promise<void>;
}

const NO_OUTLET: MetricsOutlet = { flush: async () => {}, shutdown: async () => {} };

export type IntakeSource = 'github' | 'drive';
export type IntakeOutcome = 'accepted' | 'duplicate' | 'rejected' | 'ignored';

/** The status class of an HTTP answer, `error` when none came (network failure, timeout). */
export function statusClass(status: number | undefined): string {
  if (status === undefined || !Number.isInteger(status) || status < 100 || status > 599) return 'error';
  return `${Math.floor(status / 100)}xx`;
}

/**
 * The bridge's instruments on one meter (one per AppContext, built by the composition root). The
 * gauges are observed at collection time from what `observe` is given.
 */
export class BridgeMetrics {
  private readonly syncDuration: Histogram;
  private readonly syncRuns: Counter;
  private readonly syncFreshness: Histogram;
  private readonly conflictsOpened: Counter;
  private readonly conflictsSettled: Counter;
  private readonly intakeReceived: Counter;
  private readonly providerCalls: Counter;
  private readonly httpServerErrors: Counter;
  private readonly aiCalls: Counter;
  private readonly aiCost: Counter;
  private readonly aiLatency: Histogram;
  private readonly aiTokens: Counter;
  readonly gauges: Record<GaugeName, ObservableGauge>;

  private readonly meter: Meter;
  private readonly outlet: MetricsOutlet;

  constructor(meter: Meter, outlet: MetricsOutlet = NO_OUTLET) {
    this.meter = meter;
    this.outlet = outlet;
    const n = METRIC_NAMES;
    this.syncDuration = meter.createHistogram(n.syncDuration, {
      description: 'Duration of one sync run (one attempt that finished).',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.syncRuns = meter.createCounter(n.syncRuns, {
      valueType: ValueType.INT,
      description: 'Finished sync runs by outcome.',
    });
    this.syncFreshness = meter.createHistogram(n.syncFreshness, {
      description: 'From the event that asked for a sync being received to the other side written.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.conflictsOpened = meter.createCounter(n.conflictsOpened, {
      valueType: ValueType.INT,
      description: 'Conflicts found by syncs (new disagreements), by kind.',
    });
    this.conflictsSettled = meter.createCounter(n.conflictsSettled, {
      valueType: ValueType.INT,
      description: 'Conflicts settled, by the policy or person that settled them.',
    });
    this.intakeReceived = meter.createCounter(n.intakeReceived, {
      valueType: ValueType.INT,
      description: 'GitHub webhook deliveries and Drive notifications received, by outcome.',
    });
    this.providerCalls = meter.createCounter(n.providerCalls, {
      valueType: ValueType.INT,
      description: 'HTTP requests to GitHub and Drive (retries included), by route and status class.',
    });
    this.httpServerErrors = meter.createCounter(n.httpServerErrors, {
      valueType: ValueType.INT,
      description: 'Answers with a 5xx status, by function.',
    });
    this.aiCalls = meter.createCounter(n.aiCalls, {
      valueType: ValueType.INT,
      description: 'Attempts of AI calls that reached a provider, by provider, model, purpose and outcome.',
    });
    this.aiCost = meter.createCounter(n.aiCost, {
      unit: 'USD',
      description:
        'What AI calls cost (usage × the pinned price table; the exact sum is in the audit records).',
    });
    this.aiLatency = meter.createHistogram(n.aiLatency, {
      description: 'Duration of one AI attempt.',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.aiTokens = meter.createCounter(n.aiTokens, {
      valueType: ValueType.INT,
      description:
        'Tokens of AI calls as the providers reported them, by provider, model and kind (input, cached, output, cache_write).',
    });
    this.gauges = {
      aiProviderAvailable: meter.createObservableGauge(n.aiProviderAvailable, {
        description:
          'Whether an AI provider takes requests: 1 circuit closed, 0.5 half-open, 0 open or its key refused.',
      }),
      aiQueueDepth: meter.createObservableGauge(n.aiQueueDepth, {
        valueType: ValueType.INT,
        description: 'AI requests waiting in the per-tenant rate limit queues (this instance).',
      }),
      aiBudgetUsed: meter.createObservableGauge(n.aiBudgetUsed, {
        description:
          'Fraction of its AI daily requests or monthly budget a tenant used, as last seen (1 = used up).',
      }),
      rateLimitRemaining: meter.createObservableGauge(n.rateLimitRemaining, {
        valueType: ValueType.INT,
        description: 'Requests left in the primary rate-limit window, as the last response said.',
      }),
      rateLimitRatio: meter.createObservableGauge(n.rateLimitRatio, {
        description: 'Remaining / limit of the primary rate limit (0..1).',
      }),
      queueDepth: meter.createObservableGauge(n.queueDepth, {
        valueType: ValueType.INT,
        description: 'Messages waiting, per topic.',
      }),
      queueOldestAge: meter.createObservableGauge(n.queueOldestAge, {
        description: 'Age of the oldest waiting message, per topic.',
        unit: 's',
      }),
      deadLetters: meter.createObservableGauge(n.deadLetters, {
        valueType: ValueType.INT,
        description: 'Dead-lettered messages waiting for a replay, per topic.',
      }),
      driveChannelExpiry: meter.createObservableGauge(n.driveChannelExpiry, {
        description: 'Seconds until the Drive channel that expires first does.',
        unit: 's',
      }),
      driftFindings: meter.createObservableGauge(n.driftFindings, {
        valueType: ValueType.INT,
        description: 'Drift findings over every link, by kind.',
      }),
    };
  }

  syncFinished(run: SyncRunFacts): void {
    const { direction, outcome, trigger } = run;
    this.syncDuration.record(Math.max(0, run.durationSeconds), { direction, outcome, trigger });
    this.syncRuns.add(1, { outcome, trigger });
  }

  /** The other side was written `seconds` after the event that asked for it was received. */
  freshness(seconds: number, trigger: string): void {
    this.syncFreshness.record(Math.max(0, seconds), { trigger });
  }

  conflictOpened(kind: string): void {
    this.conflictsOpened.add(1, { kind });
  }

  conflictSettled(policy: string): void {
    this.conflictsSettled.add(1, { policy });
  }

  /** One AI attempt, as its audit record says (provider, model, purpose: a short fixed list each). */
  aiCall(call: {
    provider: string;
    model: string;
    purpose: string;
    outcome: string;
    costPicoUsd: number;
    latencyMs: number;
    inputTokens?: number;
    cachedInputTokens?: number;
    outputTokens?: number;
    cacheWriteTokens?: number;
  }): void {
    const { provider, model, purpose, outcome } = call;
    this.aiCalls.add(1, { provider, model, purpose, outcome });
    const tokens = {
      // Input tokens include the cached and cache-written ones (the providers' own counts); here apart.
      input: (call.inputTokens ?? 0) - (call.cachedInputTokens ?? 0) - (call.cacheWriteTokens ?? 0),
      cached: call.cachedInputTokens ?? 0,
      cache_write: call.cacheWriteTokens ?? 0,
      output: call.outputTokens ?? 0,
    };
    for (const [kind, count] of Object.entries(tokens))
      if (count > 0) this.aiTokens.add(count, { provider, model, kind });
    if (call.costPicoUsd > 0) this.aiCost.add(call.costPicoUsd / 1e12, { provider, model, purpose });
    this.aiLatency.record(call.latencyMs / 1000, { provider, outcome });
  }

  intake(source: IntakeSource, event: string, outcome: IntakeOutcome, reason?: string): void {
    const attributes: Attributes = { source, event, outcome };
    if (reason) attributes.reason = reason;
    this.intakeReceived.add(1, attributes);
  }

  providerCall(provider: string, route: string, status: number | undefined): void {
    this.providerCalls.add(1, { provider, route, status_class: statusClass(status) });
  }

  /** A fetch that counts each request it makes under `provider` (see meteredFetch). */
  providerFetch(provider: string, inner?: typeof fetch): typeof fetch {
    return meteredFetch((route, status) => this.providerCall(provider, route, status), inner);
  }

  httpServerError(fn: string, status: number): void {
    this.httpServerErrors.add(1, { function: fn, status: String(status) });
  }

  /** Prometheus text of every series, or undefined when this process exports elsewhere. */
  prometheusText(): Promise<string> | undefined {
    return this.outlet.prometheusText?.();
  }

  /**
   * Sends what the push exporter holds, at most once per flush gap unless forced. Cloud Run stops
   * the CPU between requests, so the edge calls this before it answers (see shared/edge/cloud-run.ts).
   */
  flush(force = false): Promise<void> {
    return this.outlet.flush(force);
  }

  shutdown(): Promise<void> {
    return this.outlet.shutdown();
  }

  /** Observes the gauges from `sources` at each collection (scrape or export). */
  observe(sources: GaugeSources): void {
    observeGauges(this.meter, this.gauges, sources);
  }
}

/** Instruments that record nothing: a context assembled without a metrics runtime (some tests). */
export function noopMetrics(): BridgeMetrics {
  return new BridgeMetrics(createNoopMeter());
}
