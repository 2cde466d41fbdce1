import type { Meter, ObservableGauge } from '@opentelemetry/api';

export interface RateLimitReading {
  provider: string;
  /** Whoever the provider counts requests against (installation, token, account hash): bounded. */
  account: string;
  resource: string;
  limit: number;
  remaining: number;
}

export interface AiReading {
  providers: Array<{ provider: string; model: string; available: number }>;
  queued: number;
  usage: Array<{ tenant: string; limit: string; used: number }>;
}

export interface TopicReading {
  topic: string;
  depth: number;
  oldestAgeSeconds: number;
  dead: number;
}

/**
 * Where the gauges read from, at collection time. Each source is optional (on GCP Pub/Sub reports
 * its own queue depth and dead letters) and may be slow (a state-store query): the composition
 * root caches those.
 */
export interface GaugeSources {
  rateLimits?: () => RateLimitReading[];
  topics?: () => Promise<TopicReading[]>;
  /** Seconds to the nearest Drive channel expiry; undefined when there are no channels. */
  channelExpirySeconds?: () => Promise<number | undefined>;
  /** Findings over every link, by kind. */
  driftFindings?: () => Promise<Record<string, number>>;
  /** The AI layer's providers, queue and tenants' use of their limits; undefined when not loaded. */
  ai?: () => AiReading | undefined;
  /** Told when a source fails (a collection never throws). */
  onError?: (source: string, err: unknown) => void;
}

export type GaugeName =
  | 'rateLimitRemaining'
  | 'rateLimitRatio'
  | 'queueDepth'
  | 'queueOldestAge'
  | 'deadLetters'
  | 'driveChannelExpiry'
  | 'driftFindings'
  | 'aiProviderAvailable'
  | 'aiQueueDepth'
  | 'aiBudgetUsed';

type Gauges = Record<GaugeName, ObservableGauge>;

export function observeGauges(meter: Meter, g: Gauges, sources: GaugeSources): void {
  const guard = async <T>(name: string, read: (() => T | Promise<T>) | undefined): Promise<T | undefined> => {
    if (!read) return undefined;
    try {
      return await read();
    } catch (err) {
      sources.onError?.(name, err);
      return undefined;
    }
  };
  meter.addBatchObservableCallback(async (result) => {
    const [limits, topics, expiry, drift, ai] = await Promise.all([
      guard('rateLimits', sources.rateLimits),
      guard('topics', sources.topics),
      guard('channelExpirySeconds', sources.channelExpirySeconds),
      guard('driftFindings', sources.driftFindings),
      guard('ai', sources.ai),
    ]);
    if (ai) {
      for (const p of ai.providers)
        result.observe(g.aiProviderAvailable, p.available, { provider: p.provider, model: p.model });
      result.observe(g.aiQueueDepth, ai.queued);
      for (const u of ai.usage) result.observe(g.aiBudgetUsed, u.used, { tenant: u.tenant, limit: u.limit });
    }
    for (const r of limits ?? []) {
      const labels = { provider: r.provider, account: r.account, resource: r.resource };
      result.observe(g.rateLimitRemaining, r.remaining, labels);
      if (r.limit > 0)
        result.observe(g.rateLimitRatio, Math.min(1, Math.max(0, r.remaining / r.limit)), labels);
    }
    for (const t of topics ?? []) {
      result.observe(g.queueDepth, t.depth, { topic: t.topic });
      result.observe(g.queueOldestAge, t.oldestAgeSeconds, { topic: t.topic });
      result.observe(g.deadLetters, t.dead, { topic: t.topic });
    }
    if (expiry !== undefined) result.observe(g.driveChannelExpiry, expiry);
    for (const [kind, count] of Object.entries(drift ?? {})) result.observe(g.driftFindings, count, { kind });
  }, Object.values(g));
}
