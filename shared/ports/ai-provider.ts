import type { z } from 'zod';

/**
 * AI provider port: one model call through one provider's client, and the gateway the features
 * use (routing, failover, breakers, cost and audit sit behind it, in shared/ai).
 */
export type AiProviderId = 'openai' | 'anthropic' | 'gemini';

/** Token counts as the provider reported them; `inputTokens` includes the cached ones. */
export interface AiUsage {
  inputTokens: number;
  cachedInputTokens: number;
  /** Input tokens written to the cache (Anthropic), when the provider reported any. */
  cacheWriteTokens?: number;
  /** Of those, the ones written for an hour. */
  cacheWrite1hTokens?: number;
  outputTokens: number;
}

export interface AiCallInput {
  model: string;
  system: string;
  prompt: string;
  /** Ask for JSON matching this JSON Schema (the provider's native structured output). */
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  maxOutputTokens: number;
  /** Aborts the call (the attempt's time-to-first-byte timer, or the caller). */
  signal: AbortSignal;
  /** Called when a response event arrives (headers alone do not count: a stream can stall after them). */
  onFirstByte(): void;
  /** Each text delta, in order. */
  onText(delta: string): void;
}

export interface AiCallResult {
  text: string;
  usage: AiUsage;
  /** The model that answered, as the provider named it. */
  model: string;
}

/**
 * Failures are AppErrors: `rate_limited`, `unavailable`, `upstream_failed` (host trouble: fail over),
 * `config_invalid` (key refused: fail over, not the host's fault), `bad_request` (the request itself:
 * no failover).
 */
export interface AiProvider {
  readonly id: AiProviderId;
  /** Loads the client (first use only), so loading it does not count against the first-byte timer. */
  prepare(): Promise<void>;
  complete(input: AiCallInput): Promise<AiCallResult>;
  /** A fingerprint of the key in use now (never the key): tells a new key from a refused one. */
  keyId(): Promise<string>;
  /** A cheap authenticated call (the first page of the model list): throws as `complete` does. */
  checkKey(signal: AbortSignal): Promise<void>;
}

export type AiPolicy = 'cost' | 'latency' | 'weighted';

/** What a feature asks for: a purpose (audit, quotas) and what the model must be able to do. */
export interface AiRequest<T> {
  purpose: string;
  tenant: string;
  keyId: string;
  /** The API key's tier, for the daily quota (free 10, starter 100, pro 1,000, enterprise configured). */
  tier?: string;
  /** Instructions; the data to work on goes in `data`, delimited, never mixed into these. */
  instructions: string;
  /** Repository or design text the model works on (scrubbed and delimited as data). */
  data: string;
  /** The answer is accepted only when it parses with this schema. */
  schema: z.ZodType<T>;
  /** Context the model needs, in tokens (prompt plus answer). */
  minContextTokens?: number;
  maxOutputTokens?: number;
  /** Deliver text deltas as they arrive (failover only before the first one). */
  onText?: (delta: string) => void;
  /** Overrides the configured routing policy for this request. */
  policy?: AiPolicy;
}

export interface AiAnswer<T> {
  value: T;
  provider: AiProviderId;
  model: string;
  usage: AiUsage;
  /** Cost in millionths of a millionth of a US dollar (pico-USD), integer: usage × price exactly. */
  costPicoUsd: number;
  /** False when the price table does not know the model: the cost is unknown, not 0. */
  priced: boolean;
  latencyMs: number;
  /** Providers tried before this one answered, with why each was left. */
  failedOver: Array<{ provider: AiProviderId; code: string }>;
}

export interface AiGateway {
  generate<T>(request: AiRequest<T>): Promise<AiAnswer<T>>;
  /** Breaker state and measured latency of each configured provider (for GET /api/v1/health). */
  status(): AiStatus;
  /** For the meter only (never an API answer: it names tenants): queue and limits in this instance. */
  gauges?(): AiGaugeReading;
}

export interface AiGaugeReading {
  /** Requests waiting in the per-tenant rate limit's queues. */
  queued: number;
  /** Each tenant's last known use of its limits, as a fraction (1 = used up). */
  usage: Array<{ tenant: string; limit: 'daily-requests' | 'monthly-budget'; used: number }>;
}

export interface AiStatus {
  enabled: boolean;
  policy: AiPolicy;
  providers: Array<{
    provider: AiProviderId;
    model: string;
    circuit: {
      phase: 'closed' | 'open' | 'half-open';
      failureRate: number;
      requests: number;
      openUntil?: string;
    };
    latencyMs?: { ewma: number; samples: number };
    /** The last failed attempt: `config_invalid` says the key was refused (401/403). */
    lastFailure?: { code: string; at: string };
    /**
     * Whether the provider accepted the key in use: false once it refused it (the key check at start,
     * or a call), and the router skips the provider until the key changes; unset until known.
     */
    keyValid?: boolean;
  }>;
}
