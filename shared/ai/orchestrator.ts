import { createHash } from 'node:crypto';
import { z } from 'zod';
import { costPicoUsd, priceAt, routeCandidates } from '../domain/index.ts';
import { AppError } from '../errors/index.ts';
import type {
  AiAnswer,
  AiGateway,
  AiGaugeReading,
  AiProviderId,
  AiRequest,
  AiStatus,
} from '../ports/index.ts';
import { attemptCall } from './attempt.ts';
import { ErrorRateBreaker } from './error-rate-breaker.ts';
import { KeyChecks } from './key-checks.ts';
import { LatencyStats } from './latency-stats.ts';
import type { ModelSpec } from './model-catalog.ts';
import type { ConfiguredModel, OrchestratorOptions } from './orchestrator-types.ts';
import { buildPrompt } from './prompt.ts';
import { failsOver } from './provider-error.ts';

export type { ConfiguredModel, OrchestratorOptions } from './orchestrator-types.ts';

const HOST_TROUBLE = new Set(['rate_limited', 'unavailable', 'upstream_failed']);
const DEFAULT_MAX_OUTPUT = 2048;
/** Longest prompt an audit record keeps (a document stays far below the store's size limit). */
const MAX_STORED_PROMPT = 20_000;

/**
 * The AI gateway: routes a request among the models that can serve it, fails over on host trouble
 * (before the first token only), keeps a breaker and a latency figure per provider, costs and
 * records every call. State lives in the instance, which the composition root keeps in the context.
 */
export class AiOrchestrator implements AiGateway {
  private readonly breakers = new Map<AiProviderId, ErrorRateBreaker>();
  private readonly latency = new LatencyStats();
  private readonly lastFailure = new Map<AiProviderId, { code: string; at: string }>();
  private readonly now: () => number;
  private readonly options: OrchestratorOptions;
  private readonly keys: KeyChecks;

  constructor(options: OrchestratorOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.keys = new KeyChecks(
      options.models.map((m) => m.provider),
      {
        ...(options.keyCheckTimeoutMs !== undefined ? { timeoutMs: options.keyCheckTimeoutMs } : {}),
        onRefused: (provider, error) =>
          this.lastFailure.set(provider, { code: error.code, at: new Date(this.now()).toISOString() }),
      },
    );
    if (options.checkKeys !== false) this.keys.start();
    for (const { spec } of options.models) {
      if (!this.breakers.has(spec.provider)) {
        this.breakers.set(
          spec.provider,
          new ErrorRateBreaker({ ...options.breaker, name: spec.provider, now: this.now }),
        );
      }
    }
  }

  async generate<T>(request: AiRequest<T>): Promise<AiAnswer<T>> {
    const { system, prompt } = buildPrompt(request.instructions, request.data);
    const maxOutputTokens = request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT;
    const inputTokens = Math.ceil((system.length + prompt.length) / 4);
    const candidates = routeCandidates(
      this.options.models.map((m) => ({
        ...m.spec,
        configured: m,
        // The tier this request's estimated input falls into (pico-USD per token = 1e-6 USD per Mtok).
        ...(m.prices
          ? {
              inputPerMtok: priceAt(m.prices.input, inputTokens) / 1e6,
              outputPerMtok: priceAt(m.prices.output, inputTokens) / 1e6,
            }
          : {}),
        ...latencyOf(this.latency, m.spec),
        weight: m.weight ?? 1,
      })),
      {
        structuredOutput: true,
        streaming: request.onText !== undefined,
        minContextTokens: request.minContextTokens ?? inputTokens + maxOutputTokens,
        inputTokens,
        maxOutputTokens,
      },
      request.policy ?? this.options.tenantPolicies?.[request.tenant] ?? this.options.policy,
      this.options.random,
    );
    if (candidates.length === 0) {
      throw new AppError(
        'bad_request',
        `No configured AI model can serve ${request.purpose} (context, streaming)`,
      );
    }
    const estimate = Math.max(
      0,
      ...candidates.map(({ configured: { prices } }) =>
        prices
          ? costPicoUsd({ inputTokens, cachedInputTokens: 0, outputTokens: maxOutputTokens }, prices)
          : 0,
      ),
    );
    // Rate first (it waits, briefly), then the quota (it counts): a refused rate costs no quota.
    await this.options.rateLimit?.take(request.tenant);
    const reservation = await this.options.quota?.reserve(
      request.tenant,
      request.tier ?? 'free',
      estimate,
      inputTokens + maxOutputTokens,
    );
    const spent = { pico: 0, tokens: 0, served: false };
    try {
      const answer = await this.tryCandidates(
        request,
        candidates,
        { system, prompt, maxOutputTokens },
        spent,
      );
      spent.served = true;
      return answer;
    } finally {
      // A settlement that fails leaves the reservation counted: the safe side of a limit.
      await reservation
        ?.settle({ served: spent.served, costPico: spent.pico, tokens: spent.tokens })
        .catch(() => undefined);
    }
  }

  private async tryCandidates<T>(
    request: AiRequest<T>,
    candidates: ReadonlyArray<{ configured: ConfiguredModel }>,
    { system, prompt, maxOutputTokens }: { system: string; prompt: string; maxOutputTokens: number },
    spent: { pico: number; tokens: number },
  ): Promise<AiAnswer<T>> {
    const jsonSchema = { name: 'answer', schema: z.toJSONSchema(request.schema) as Record<string, unknown> };
    const promptSha256 = createHash('sha256').update(system).update('\0').update(prompt).digest('hex');
    const failedOver: AiAnswer<T>['failedOver'] = [];
    const skipped: ErrorRateBreaker[] = [];
    let last: AppError | undefined;
    // The soonest any failed provider said it may answer again (seconds; 1 when it said nothing).
    let retryInS = Number.POSITIVE_INFINITY;
    const stored = this.options.storePrompts
      ? { prompt: `${system}\n\n${prompt}`.slice(0, MAX_STORED_PROMPT) }
      : {};
    const base = {
      tenant: request.tenant,
      keyId: request.keyId,
      purpose: request.purpose,
      promptSha256,
      ...stored,
    };
    const refusedKeys: AiProviderId[] = [];
    for (const { configured } of candidates) {
      const { provider, spec, prices } = configured;
      if (!(await this.keys.usable(provider))) {
        refusedKeys.push(spec.provider);
        continue;
      }
      const breaker = this.breakers.get(spec.provider);
      if (!breaker?.tryAcquire()) {
        if (breaker) skipped.push(breaker);
        continue;
      }
      const outcome = await attemptCall(
        provider,
        spec.provider,
        { model: spec.model, system, prompt, jsonSchema, maxOutputTokens },
        { attemptTimeoutMs: this.options.attemptTimeoutMs, now: this.now, onText: request.onText },
      );
      const at = new Date(this.now()).toISOString();
      if (!outcome.ok) {
        const { error } = outcome;
        // A rate limit that says how long to wait holds the circuit open that long.
        const wait = error.code === 'rate_limited' ? Number(error.headers['retry-after'] ?? 0) * 1000 : 0;
        breaker.record(HOST_TROUBLE.has(error.code), wait);
        this.lastFailure.set(spec.provider, { code: error.code, at });
        if (error.code === 'config_invalid') await this.keys.refused(provider);
        await this.options.record?.({
          ...base,
          provider: spec.provider,
          model: spec.model,
          usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
          costPicoUsd: 0,
          priced: prices !== undefined,
          latencyMs: outcome.latencyMs,
          outcome: error.code,
          at,
        });
        // Once text reached a streaming caller, a second answer would be spliced onto the first.
        if ((outcome.textSeen && request.onText) || !failsOver(error)) throw error;
        failedOver.push({ provider: spec.provider, code: error.code });
        last = error;
        retryInS = Math.min(retryInS, Number(error.headers['retry-after'] ?? 1) || 1);
        continue;
      }
      const { result, latencyMs } = outcome;
      breaker.record(false);
      this.latency.record(key(spec), latencyMs);
      const cost = prices ? costPicoUsd(result.usage, prices) : 0;
      spent.pico += cost;
      spent.tokens += result.usage.inputTokens + result.usage.outputTokens;
      const value = parseAnswer(result.text, request.schema);
      // Recorded before the answer is returned: a call that cannot be audited does not count as served.
      await this.options.record?.({
        ...base,
        provider: spec.provider,
        model: result.model,
        usage: result.usage,
        costPicoUsd: cost,
        priced: prices !== undefined,
        latencyMs,
        outcome: value.ok ? 'ok' : 'invalid_output',
        at,
      });
      if (value.ok) {
        return {
          value: value.value,
          provider: spec.provider,
          model: result.model,
          usage: result.usage,
          costPicoUsd: cost,
          priced: prices !== undefined,
          latencyMs,
          failedOver,
        };
      }
      // The host works; its answer does not fit. Another model may do better, unless text streamed.
      last = new AppError('upstream_failed', `${spec.provider} answered outside the schema`);
      if (request.onText) throw last;
      failedOver.push({ provider: spec.provider, code: 'invalid_output' });
      retryInS = 1;
    }
    if (!last && skipped.length > 0) throw ErrorRateBreaker.allOpen(skipped);
    if (!last) {
      throw new AppError(
        'unavailable',
        `No AI provider can be used: the key of ${refusedKeys.join(', ')} was refused (it is tried again once it changes)`,
        { headers: { 'retry-after': '60' }, details: { refusedKeys } },
      );
    }
    throw new AppError(
      'unavailable',
      `No AI provider answered (${failedOver.map((f) => `${f.provider}: ${f.code}`).join(', ')})`,
      { headers: { 'retry-after': String(retryInS) }, details: { failedOver } },
    );
  }

  /** Resolves when the key checks begun at construction have ended (each bounded by its timeout). */
  keysChecked(): Promise<void> {
    return this.keys.settled();
  }

  gauges(): AiGaugeReading {
    return { queued: this.options.rateLimit?.queued?.() ?? 0, usage: this.options.quota?.usage?.() ?? [] };
  }

  status(): AiStatus {
    return {
      enabled: this.options.models.length > 0,
      policy: this.options.policy,
      providers: this.options.models.map(({ spec }) => {
        const latency = this.latency.get(key(spec));
        const failure = this.lastFailure.get(spec.provider);
        return {
          provider: spec.provider,
          model: spec.model,
          circuit: this.breakers.get(spec.provider)?.state() ?? {
            phase: 'closed',
            failureRate: 0,
            requests: 0,
          },
          ...(latency ? { latencyMs: latency } : {}),
          ...(failure ? { lastFailure: failure } : {}),
          ...(this.keys.valid(spec.provider) !== undefined
            ? { keyValid: this.keys.valid(spec.provider) }
            : {}),
        };
      }),
    };
  }
}

const key = (spec: ModelSpec) => `${spec.provider}:${spec.model}`;

function latencyOf(stats: LatencyStats, spec: ModelSpec): { latencyMs?: number } {
  const measured = stats.get(key(spec));
  return measured ? { latencyMs: measured.ewma } : {};
}

function parseAnswer<T>(text: string, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}
