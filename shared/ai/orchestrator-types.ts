import type { AiRoutingPolicy } from '../domain/index.ts';
import type { AiGaugeReading, AiProvider, AiProviderId, AiUsage } from '../ports/index.ts';
import type { ErrorRateBreakerOptions } from './error-rate-breaker.ts';
import type { ModelSpec } from './model-catalog.ts';
import type { ModelPrices } from './prices.ts';

export interface ConfiguredModel {
  provider: AiProvider;
  spec: ModelSpec;
  prices?: ModelPrices;
  weight?: number;
}

/** One finished call, for the audit trail (the prompt only as its sha256). */
export interface AiCallRecord {
  tenant: string;
  keyId: string;
  purpose: string;
  provider: AiProviderId;
  model: string;
  usage: AiUsage;
  costPicoUsd: number;
  /** False when the price table does not know the model (the cost is unknown, recorded as 0). */
  priced: boolean;
  latencyMs: number;
  outcome: 'ok' | 'invalid_output' | string;
  promptSha256: string;
  /** The scrubbed prompt itself, only when the audit is set to keep prompts (AI_AUDIT_STORE_PROMPTS). */
  prompt?: string;
  at: string;
}

export interface OrchestratorOptions {
  models: ConfiguredModel[];
  policy: AiRoutingPolicy;
  /** Per-tenant policies over `policy` (AI_TENANT_ROUTING). */
  tenantPolicies?: Record<string, AiRoutingPolicy>;
  /** Time to the first response byte of one attempt before it is abandoned for the next provider. */
  attemptTimeoutMs: number;
  breaker?: Omit<ErrorRateBreakerOptions, 'name' | 'now'>;
  /** Check each key at construction, in the background (default true); bound on one check (5 s). */
  checkKeys?: boolean;
  keyCheckTimeoutMs?: number;
  now?: () => number;
  random?: () => number;
  /** Keep the (scrubbed) prompt in the audit record, cut at MAX_STORED_PROMPT characters. */
  storePrompts?: boolean;
  /** Called for every attempt that reached a provider, before its answer is returned. */
  record?: (call: AiCallRecord) => Promise<void>;
  /** Per-tenant requests a minute in this instance, with a bounded wait (TenantRateLimit). */
  rateLimit?: { take(tenant: string): Promise<void>; queued?(): number };
  /** Reserves a tenant's quota and budget before the call; settled after it (AiQuota). */
  quota?: {
    reserve(
      tenant: string,
      tier: string,
      estimatePico: number,
      estimateTokens?: number,
    ): Promise<
      { settle(actual: { served: boolean; costPico: number; tokens?: number }): Promise<void> } | undefined
    >;
    usage?(): AiGaugeReading['usage'];
  };
}
